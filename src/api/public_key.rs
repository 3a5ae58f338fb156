//! Kick's webhook signing key.

use crate::KickClient;

impl KickClient {
    /// Kick's public key for webhook signatures, as PEM text.
    ///
    /// Token: none (Kick does not authenticate this call). `GET /public/v1/public-key`.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let pem = client.fetch_public_key().await?;
    /// assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"));
    /// # Ok(()) }
    /// ```
    pub async fn fetch_public_key(&self) -> crate::Result<String> {
        let answer = self.call(None, |raw| raw.fetch_public_key()).await?.into_inner();
        let pem = answer.data.public_key;
        if pem.trim().is_empty() {
            return Err(self.empty_answer("fetch_public_key"));
        }
        Ok(pem)
    }
}
