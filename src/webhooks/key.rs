//! Kick's webhook public key: the embedded default and parsing of PEM keys.

use aws_lc_rs::signature::{ParsedPublicKey, RSA_PKCS1_2048_8192_SHA256};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;

use super::error::PublicKeyError;

/// Kick's webhook signing key as published in Kick's developer docs (RSA-2048, SPKI PEM).
pub const KICK_PUBLIC_KEY_PEM: &str = include_str!("kick-public-key.pem");

/// An RSA public key that verifies Kick webhook signatures (PKCS#1 v1.5 with SHA-256).
///
/// ```
/// use kickrs::webhooks::PublicKey;
///
/// let kick = PublicKey::kick();
/// let same = PublicKey::from_pem(kickrs::webhooks::KICK_PUBLIC_KEY_PEM).unwrap();
/// assert_eq!(kick.der(), same.der());
/// ```
#[derive(Clone)]
pub struct PublicKey {
    parsed: ParsedPublicKey,
    der: Vec<u8>,
}

impl PublicKey {
    /// Kick's published key (embedded in the crate).
    pub fn kick() -> Self {
        // The embedded PEM is a constant checked by the test suite; failing here is a build defect.
        Self::from_pem(KICK_PUBLIC_KEY_PEM).unwrap_or_else(|err| panic!("embedded Kick public key is invalid: {err}"))
    }

    /// Parses a PEM public key: `PUBLIC KEY` (SPKI, what Kick publishes and what
    /// `GET /public/v1/public-key` returns) or `RSA PUBLIC KEY` (PKCS#1).
    ///
    /// # Errors
    /// [`PublicKeyError`] naming whether the PEM framing, the base64 or the key itself is wrong.
    pub fn from_pem(pem: &str) -> Result<Self, PublicKeyError> {
        Self::from_der(&pem_to_der(pem)?)
    }

    /// Parses a DER public key (SPKI or PKCS#1 `RSAPublicKey`).
    ///
    /// # Errors
    /// [`PublicKeyError::KeySize`] for an RSA key outside 2048 to 8192 bits (the verifier could check no
    /// signature with it), [`PublicKeyError::Rejected`] when the bytes are not an RSA key at all.
    ///
    /// ```
    /// # use kickrs::webhooks::{PublicKey, PublicKeyError};
    /// // PKCS#1 `RSAPublicKey` with a 1024-bit modulus and exponent 65537.
    /// let mut der = vec![0x30, 0x81, 0x89, 0x02, 0x81, 0x81, 0x00, 0xc1];
    /// der.extend([0x5a; 127]);
    /// der.extend([0x02, 0x03, 0x01, 0x00, 0x01]);
    /// assert!(matches!(PublicKey::from_der(&der), Err(PublicKeyError::KeySize { bits: 1024 })));
    /// ```
    pub fn from_der(der: &[u8]) -> Result<Self, PublicKeyError> {
        // aws-lc parses keys of any size and only refuses them when verifying: checked here, at load.
        if let Some(bits) = rsa_modulus_bits(der)
            && !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits)
        {
            return Err(PublicKeyError::KeySize { bits });
        }
        let parsed = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, der)
            .map_err(|err| PublicKeyError::Rejected { reason: err.to_string() })?;
        Ok(Self { parsed, der: der.to_vec() })
    }

    /// The DER bytes this key was built from.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// True when `signature` is a valid signature of `message` under this key.
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        self.parsed.verify_sig(message, signature).is_ok()
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey").field("der_len", &self.der.len()).finish()
    }
}

/// The RSA key sizes the verifier checks signatures with (aws-lc's `RSA_PKCS1_2048_8192_SHA256`).
pub(crate) const MIN_RSA_BITS: usize = 2048;
/// See [`MIN_RSA_BITS`].
pub(crate) const MAX_RSA_BITS: usize = 8192;

/// The modulus size of an SPKI or PKCS#1 RSA public key, `None` when the DER has neither shape (the
/// crypto library then says what is wrong).
fn rsa_modulus_bits(der: &[u8]) -> Option<usize> {
    let (outer, _) = der_element(der, 0x30)?;
    // SPKI: SEQUENCE { SEQUENCE { algorithm }, BIT STRING { RSAPublicKey } }.
    let rsa_key = match der_element(outer, 0x30) {
        Some((_, rest)) => {
            let (bits, _) = der_element(rest, 0x03)?;
            der_element(bits.get(1..)?, 0x30)?.0
        }
        // PKCS#1: SEQUENCE { INTEGER modulus, INTEGER exponent }.
        None => outer,
    };
    let (modulus, _) = der_element(rsa_key, 0x02)?;
    let significant = modulus.iter().position(|&byte| byte != 0).map_or(&[][..], |start| &modulus[start..]);
    let first = *significant.first()?;
    Some(significant.len() * 8 - first.leading_zeros() as usize)
}

/// The content of the DER element with `tag` at the start of `input`, and what follows it.
fn der_element(input: &[u8], tag: u8) -> Option<(&[u8], &[u8])> {
    let (&found, rest) = input.split_first()?;
    if found != tag {
        return None;
    }
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = match first {
        short @ 0..=0x7f => (usize::from(short), rest),
        long => {
            let count = usize::from(long & 0x7f);
            if count == 0 || count > 4 || rest.len() < count {
                return None;
            }
            let len = rest[..count].iter().fold(0usize, |len, &byte| (len << 8) | usize::from(byte));
            (len, &rest[count..])
        }
    };
    (rest.len() >= len).then(|| rest.split_at(len))
}

/// Extracts the base64 body of the first PEM block and decodes it.
fn pem_to_der(pem: &str) -> Result<Vec<u8>, PublicKeyError> {
    // Keys fetched as JSON strings sometimes keep literal `\n` escapes.
    let pem = pem.replace("\\n", "\n");
    let begin =
        pem.find("-----BEGIN ").ok_or_else(|| PublicKeyError::NotPem { reason: "no `-----BEGIN` line".to_owned() })?;
    let after_begin = &pem[begin..];
    let header_end = after_begin
        .find('\n')
        .ok_or_else(|| PublicKeyError::NotPem { reason: "nothing after the `-----BEGIN` line".to_owned() })?;
    let label = after_begin[..header_end].trim();
    if !matches!(label, "-----BEGIN PUBLIC KEY-----" | "-----BEGIN RSA PUBLIC KEY-----") {
        return Err(PublicKeyError::NotPem {
            reason: format!("unexpected block `{label}` (want PUBLIC KEY or RSA PUBLIC KEY)"),
        });
    }
    let body = &after_begin[header_end..];
    let end =
        body.find("-----END ").ok_or_else(|| PublicKeyError::NotPem { reason: "no `-----END` line".to_owned() })?;
    let base64_text: String = body[..end].chars().filter(|c| !c.is_whitespace()).collect();
    STANDARD.decode(base64_text).map_err(|err| PublicKeyError::BadBase64 { reason: err.to_string() })
}

/// The bytes Kick signs: `{message_id}.{timestamp}.{raw body}`.
pub(crate) fn signed_message(message_id: &str, timestamp: &str, body: &[u8]) -> Vec<u8> {
    let mut message = Vec::with_capacity(message_id.len() + timestamp.len() + body.len() + 2);
    message.extend_from_slice(message_id.as_bytes());
    message.push(b'.');
    message.extend_from_slice(timestamp.as_bytes());
    message.push(b'.');
    message.extend_from_slice(body);
    message
}
