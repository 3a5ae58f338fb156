/// Why a login, token exchange or token refresh failed. Never carries a secret.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// Kick's token endpoint refused the request.
    #[error("Kick's token endpoint refused the request ({status}): {error}")]
    ExchangeRefused {
        /// HTTP status of the answer.
        status: u16,
        /// Kick's `error` field, or the start of the body.
        error: String,
    },
}
