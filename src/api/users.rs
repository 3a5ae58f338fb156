//! Users: one by id, many by id (split into requests of 100), or the token's own user.

use crate::auth::TokenKind;
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
    pub async fn fetch_user(&self, user_id: i64) -> Result<User> {
        let users = self.users_by_ids(vec![user_id]).await.map_err(|e| e.called_as("fetch_user"))?;
        let id = user_id.to_string();
        users.into_iter().next().ok_or_else(|| self.empty_answer_of("fetch_user", "fetch_users", Some(("id", &id))))
    }

    /// Several users by id, in the order Kick answers; with no ids, the user token's own user.
    ///
    /// More than 100 ids are split into several requests (Kick's maximum) whose answers are joined in
    /// order. Unknown ids are left out, as Kick does.
    ///
    /// Token: app with ids; user (scope `user:read`) with none. `GET /public/v1/users?id=..&id=..`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let users = client.fetch_users(&[1, 2, 3]).await?;
    /// let me = client.fetch_users(&[]).await?;
    /// # Ok(()) }
    /// ```
    pub async fn fetch_users(&self, ids: &[i64]) -> Result<Vec<User>> {
        if ids.is_empty() {
            let answer = self.call(Some(TokenKind::User), self.raw().fetch_users(None)).await?;
            return Ok(answer.into_inner().data);
        }
        in_chunks(ids, USER_IDS_PER_REQUEST, |chunk| self.users_by_ids(chunk)).await
    }

    async fn users_by_ids(&self, ids: Vec<i64>) -> Result<Vec<User>> {
        let answer = self.call(Some(TokenKind::App), self.raw().fetch_users(Some(&ids))).await?;
        Ok(answer.into_inner().data)
    }
}
