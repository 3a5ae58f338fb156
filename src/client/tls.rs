//! The TLS every client kickrs builds uses: rustls with *ring*, the one crypto provider kickrs compiles (webhook
//! signatures use *ring* too). reqwest is built with `rustls-no-provider`, so the provider is handed to each client
//! here rather than installed process-wide, which would change what other code in the program gets.

use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject as _;

use crate::error::Error;

/// A certificate to trust as a TLS root besides the system's (a proxy that inspects TLS, a local test server),
/// for [`KickClientBuilder::tls_root_certificate`](crate::KickClientBuilder::tls_root_certificate) and
/// [`http_client_builder`].
///
/// ```
/// # fn demo(pem: &[u8]) -> Result<(), kickrs::Error> {
/// let root = kickrs::TlsRootCertificate::from_pem(pem)?;
/// # Ok(()) }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsRootCertificate(CertificateDer<'static>);

impl TlsRootCertificate {
    /// The first certificate of a PEM text (`-----BEGIN CERTIFICATE-----`).
    ///
    /// # Errors
    /// [`Error::Config`] when `pem` holds no certificate.
    pub fn from_pem(pem: &[u8]) -> Result<Self, Error> {
        CertificateDer::from_pem_slice(pem)
            .map(Self)
            .map_err(|e| Error::Config(format!("tls_root_certificate: no PEM certificate found ({e})")))
    }

    /// A DER-encoded certificate (checked when a client is built with it).
    pub fn from_der(der: impl Into<Vec<u8>>) -> Self {
        Self(CertificateDer::from(der.into()))
    }
}

/// A `reqwest::ClientBuilder` with the TLS kickrs' own clients use: rustls with the *ring* provider, servers
/// checked against the system's roots (reqwest's own rustls set-up, with *ring* in place of aws-lc-rs), HTTP/2
/// offered by ALPN.
///
/// kickrs turns on reqwest's `rustls-no-provider` feature only, so a `reqwest::Client::new()` elsewhere in your
/// program panics for want of a TLS provider unless your crate enables one of reqwest's TLS features itself
/// (reqwest's default features do). Start from this builder instead, e.g. for
/// [`KickClientBuilder::http_client`](crate::KickClientBuilder::http_client):
///
/// ```
/// let http = kickrs::http_client_builder()?.redirect(reqwest::redirect::Policy::none()).build()?;
/// let client = kickrs::KickClient::builder().client_id("id").http_client(http).build()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Config`] when the system's root certificates cannot be loaded.
pub fn http_client_builder() -> Result<reqwest::ClientBuilder, Error> {
    http_client_builder_trusting(&[])
}

/// [`http_client_builder`] trusting `extra_roots` besides the system's roots.
///
/// ```
/// # fn demo(pem: &[u8]) -> Result<(), Box<dyn std::error::Error>> {
/// let root = kickrs::TlsRootCertificate::from_pem(pem)?;
/// let http = kickrs::http_client_builder_trusting(&[root])?.build()?;
/// # Ok(()) }
/// ```
///
/// # Errors
/// [`Error::Config`] when the system's root certificates or one of `extra_roots` cannot be loaded.
pub fn http_client_builder_trusting(extra_roots: &[TlsRootCertificate]) -> Result<reqwest::ClientBuilder, Error> {
    Ok(reqwest::Client::builder().tls_backend_preconfigured(client_config(extra_roots)?))
}

pub(crate) fn client_config(extra_roots: &[TlsRootCertificate]) -> Result<rustls::ClientConfig, Error> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = if extra_roots.is_empty() {
        rustls_platform_verifier::Verifier::new(provider.clone())
    } else {
        let roots = extra_roots.iter().map(|root| root.0.clone());
        rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone())
    }
    .map_err(|e| Error::Config(format!("cannot load the TLS root certificates: {e}")))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::Config(format!("TLS set-up: {e}")))?
        .dangerous() // only in name: the platform verifier checks chains and names as reqwest's default does
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    // What reqwest offers with its `http2` feature when it builds the configuration itself.
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_client_from_the_builder_builds_and_speaks_plain_http() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = [0u8; 1024];
            let _ = socket.read(&mut request).await.unwrap();
            socket.write_all(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n").await.unwrap();
        });
        let http = http_client_builder().unwrap().build().unwrap();
        let answer = http.get(format!("http://{address}/")).send().await.unwrap();
        assert_eq!(answer.status(), 204);
        server.await.unwrap();
    }

    #[test]
    fn a_pem_without_a_certificate_is_refused_naming_the_setting() {
        let err = TlsRootCertificate::from_pem(b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n")
            .unwrap_err();
        assert!(err.to_string().contains("tls_root_certificate"), "{err}");
    }
}
