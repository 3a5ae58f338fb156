//! KICKs: the authenticated broadcaster's leaderboard.

use crate::auth::TokenKind;
use crate::models::KicksLeaderboard;
use crate::{KickClient, validate};

/// How many entries per board when none is asked for (kickpy's and Kick's default).
const DEFAULT_TOP: u32 = 10;

impl KickClient {
    /// The top KICKs gifters of the token's channel, lifetime, this month and this week (`top`: 1 to
    /// 100, `None` for 10, which is sent explicitly as kickpy does).
    ///
    /// Scope `kicks:read`, user token. `GET /public/v1/kicks/leaderboard?top=`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let board = client.fetch_kicks_leaderboard(25).await?;
    /// for entry in &board.week {
    ///     println!("#{} {}: {}", entry.rank, entry.username, entry.gifted_amount);
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn fetch_kicks_leaderboard(&self, top: impl Into<Option<u32>>) -> crate::Result<KicksLeaderboard> {
        let top = validate::leaderboard_top(top.into().unwrap_or(DEFAULT_TOP))?;
        let answer = self.call(Some(TokenKind::User), |raw| raw.fetch_kicks_leaderboard(Some(top))).await?;
        answer.into_inner().data.ok_or_else(|| self.empty_answer("fetch_kicks_leaderboard"))
    }
}
