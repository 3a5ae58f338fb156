//! A [`Verifier`] built from the key Kick currently serves, rather than the one embedded at build time.

use reqwest::{Method, StatusCode};

use super::verify::Verifier;
use crate::KickClient;
use crate::error::Endpoint;

impl KickClient {
    /// A webhook [`Verifier`] (default freshness window, body limit and replay store) that checks
    /// signatures with the key `GET /public/v1/public-key` serves now (see
    /// [`KickClient::fetch_public_key`]).
    ///
    /// Useful when Kick rotates its key, and in tests against `MockKick`, which signs with its own key.
    /// Adjust the returned verifier with its `with_*` methods.
    ///
    /// Errors: those of [`KickClient::fetch_public_key`], or [`crate::Error::Decode`] at
    /// `data.public_key` when the served text is not an RSA public key.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use kickrs::webhooks::Dispatcher;
    /// let dispatcher = Dispatcher::new(client.webhook_verifier().await?);
    /// # Ok(()) }
    /// ```
    pub async fn webhook_verifier(&self) -> crate::Result<Verifier> {
        let pem = self.fetch_public_key().await?;
        Verifier::new().with_public_key_pem(&pem).map_err(|error| crate::Error::Decode {
            path: "data.public_key".into(),
            reason: error.to_string(),
            snippet: pem.chars().take(64).collect(),
            status: StatusCode::OK,
            endpoint: Endpoint {
                operation: "fetch_public_key",
                method: Method::GET,
                uri: "/public/v1/public-key".into(),
            },
        })
    }
}
