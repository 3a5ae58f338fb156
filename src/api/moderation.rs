//! Moderation: bans, timeouts and unbans.

use crate::auth::TokenKind;
use crate::ids::UserId;
use crate::raw::types::{BanUserRequest, UnbanUserRequest};
use crate::{KickClient, validate};

/// Optional settings of [`KickClient::ban_user`].
///
/// ```
/// use std::time::Duration;
/// // A ten-minute timeout with a reason.
/// let options = kickrs::api::BanUserOptions { duration: Some(Duration::from_secs(10 * 60)), reason: Some("spam".into()) };
/// ```
#[derive(Clone, Debug, Default)]
pub struct BanUserOptions {
    /// Timeout length: whole minutes, 1 minute to 7 days (10,080 minutes); `None` bans for good.
    pub duration: Option<std::time::Duration>,
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
    /// let five_minutes = Some(std::time::Duration::from_secs(5 * 60));
    /// let timeout = kickrs::api::BanUserOptions { duration: five_minutes, ..Default::default() };
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
        self.call(Some(TokenKind::User), |raw| raw.ban_user(&body)).await?;
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
        self.call(Some(TokenKind::User), |raw| raw.unban_user(&body)).await?;
        Ok(())
    }
}
