//! Users: one by id, many by id (split into requests of 100), or the token's own user.

use crate::auth::TokenKind;
use crate::ids::UserId;
use crate::models::User;
use crate::validate::USER_IDS_PER_REQUEST;
use crate::{KickClient, Result};

use super::page::in_chunks;

impl KickClient {
    /// One user by id; [`crate::Error::NotFound`] when Kick knows no such user.
    ///
    /// Token: app. `GET /public/v1/users?id=<user_id>`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let user = client.fetch_user(4377088).await?;
    /// println!("{}", user.name);
    /// # Ok(()) }
    /// ```
    pub async fn fetch_user(&self, user_id: impl Into<UserId>) -> Result<User> {
        let user_id = user_id.into();
        let users = self.users_by_ids(vec![user_id]).await.map_err(|e| e.called_as("fetch_user"))?;
        let id = user_id.to_string();
        users.into_iter().next().ok_or_else(|| self.empty_answer_of("fetch_user", "fetch_users", Some(("id", &id))))
    }

    /// Several users by id, in the order Kick answers.
    ///
    /// More than 100 ids are split into several requests (Kick's maximum) whose answers are joined in
    /// order. Unknown ids are left out, as Kick does. An empty list asks nothing and returns nothing;
    /// for the token's own user use [`KickClient::fetch_current_user`].
    ///
    /// Token: app. `GET /public/v1/users?id=..&id=..`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let users = client.fetch_users([1, 2, 3]).await?;
    /// // Ids from one answer pass straight into the next call.
    /// let again = client.fetch_users(users.iter().map(|user| user.user_id)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn fetch_users<I>(&self, ids: I) -> Result<Vec<User>>
    where
        I: IntoIterator,
        I::Item: Into<UserId>,
    {
        let ids: Vec<UserId> = ids.into_iter().map(Into::into).collect();
        in_chunks(&ids, USER_IDS_PER_REQUEST, |chunk| self.users_by_ids(chunk)).await
    }

    /// The user token's own user.
    ///
    /// Token: user (scope `user:read`). `GET /public/v1/users` with no parameters.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let me = client.fetch_current_user().await?;
    /// println!("logged in as {} ({})", me.name, me.user_id);
    /// # Ok(()) }
    /// ```
    pub async fn fetch_current_user(&self) -> Result<User> {
        let answer = self.call(Some(TokenKind::User), |raw| raw.fetch_users(None)).await?;
        answer.into_inner().data.into_iter().next().ok_or_else(|| self.empty_answer("fetch_users"))
    }

    async fn users_by_ids(&self, ids: Vec<UserId>) -> Result<Vec<User>> {
        let answer = self.call(Some(TokenKind::App), |raw| raw.fetch_users(Some(&ids))).await?;
        Ok(answer.into_inner().data)
    }
}
