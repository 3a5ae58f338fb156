//! Moderation: bans, timeouts and unbans.

use crate::auth::TokenKind;
use crate::ids::UserId;
use crate::raw::types::{BanUserRequest, UnbanUserRequest};
use crate::{KickClient, validate};

/// Optional settings of [`KickClient::ban_user`].
///
/// ```
/// // A ten-minute timeout with a reason.
/// let options = kickrs::api::BanUserOptions { duration: Some(10), reason: Some("spam".into()) };
/// ```
#[derive(Clone, Debug, Default)]
pub struct BanUserOptions {
    /// Timeout length in minutes (1 to 10080); `None` bans for good.
    pub duration: Option<u32>,
    /// Why, at most 100 characters.
    pub reason: Option<String>,
}

impl KickClient {
    /// Bans a user from a channel, or times them out when `duration` is set.
    ///
    /// Scope `moderation:ban`, user token. `POST /public/v1/moderation/bans`. Kick answers `data: {}`,
    /// which is a success here (kickpy raises `NotFound` on it).
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let timeout = kickrs::api::BanUserOptions { duration: Some(5), ..Default::default() };
    /// client.ban_user(123, 456, timeout).await?;
    /// # Ok(()) }
    /// ```
    pub async fn ban_user(
        &self,
        broadcaster_user_id: impl Into<UserId>,
        user_id: impl Into<UserId>,
        options: BanUserOptions,
    ) -> crate::Result<()> {
        let body = BanUserRequest {
            broadcaster_user_id: broadcaster_user_id.into(),
            user_id: user_id.into(),
            duration: options.duration.map(validate::ban_duration).transpose()?,
            reason: options.reason.as_deref().map(validate::ban_reason).transpose()?,
        };
        self.call(Some(TokenKind::User), self.raw().ban_user(&body)).await?;
        Ok(())
    }

    /// Lifts a ban or a timeout.
    ///
    /// Scope `moderation:ban`, user token. `DELETE /public/v1/moderation/bans` with a JSON body.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// client.unban_user(123, 456).await?;
    /// # Ok(()) }
    /// ```
    pub async fn unban_user(
        &self,
        broadcaster_user_id: impl Into<UserId>,
        user_id: impl Into<UserId>,
    ) -> crate::Result<()> {
        let body = UnbanUserRequest { broadcaster_user_id: broadcaster_user_id.into(), user_id: user_id.into() };
        self.call(Some(TokenKind::User), self.raw().unban_user(&body)).await?;
        Ok(())
    }
}
