//! Kick's webhook public key: the embedded default and parsing of PEM keys.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, UnparsedPublicKey};

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
    /// The PKCS#1 `RSAPublicKey` that *ring* verifies with (inside `der` when that is an SPKI).
    rsa_key: UnparsedPublicKey<Vec<u8>>,
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
    /// signature with it), [`PublicKeyError::Rejected`] when the bytes are not an RSA public key (an SPKI of
    /// another algorithm, a malformed modulus or exponent, bytes after the key).
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
        // *ring* checks a key only when verifying (and then says no more than "invalid"), so its shape and
        // size are checked here, at load.
        let rejected = |reason: &str| PublicKeyError::Rejected { reason: reason.to_owned() };
        let rsa_key = rsa_public_key(der).map_err(rejected)?;
        let bits = modulus_bits(rsa_key.modulus);
        if !(MIN_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
            return Err(PublicKeyError::KeySize { bits });
        }
        rsa_key.check_values().map_err(rejected)?;
        Ok(Self {
            rsa_key: UnparsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, rsa_key.der.to_vec()),
            der: der.to_vec(),
        })
    }

    /// The DER bytes this key was built from.
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// True when `signature` is a valid signature of `message` under this key.
    pub(crate) fn verifies(&self, message: &[u8], signature: &[u8]) -> bool {
        self.rsa_key.verify(message, signature).is_ok()
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PublicKey").field("der_len", &self.der.len()).finish()
    }
}

/// The RSA key sizes the verifier checks signatures with (*ring*'s `RSA_PKCS1_2048_8192_SHA256`).
pub(crate) const MIN_RSA_BITS: usize = 2048;
/// See [`MIN_RSA_BITS`].
pub(crate) const MAX_RSA_BITS: usize = 8192;

/// `rsaEncryption` (1.2.840.113549.1.1.1), the algorithm of an RSA SPKI.
const RSA_ENCRYPTION_OID: &[u8] = &[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01];

/// A PKCS#1 `RSAPublicKey` found in a DER key.
struct RsaPublicKey<'a> {
    /// The whole `RSAPublicKey` element, what *ring* verifies with.
    der: &'a [u8],
    /// The modulus' content octets.
    modulus: &'a [u8],
    /// The public exponent's content octets.
    exponent: &'a [u8],
}

impl RsaPublicKey<'_> {
    /// Positive, minimally encoded integers; an odd modulus and an odd exponent from 3 to 2^33 - 1 (what
    /// *ring* verifies with).
    fn check_values(&self) -> Result<(), &'static str> {
        let minimal = |int: &[u8]| match int {
            [] => false,
            [0, next, ..] => next & 0x80 != 0,
            [first, ..] => first & 0x80 == 0,
        };
        if !minimal(self.modulus) || !minimal(self.exponent) {
            return Err("modulus or exponent is not a positive, minimally encoded INTEGER");
        }
        let odd = |int: &[u8]| int.last().is_some_and(|byte| byte & 1 == 1);
        let exponent =
            self.exponent.iter().try_fold(0u64, |value, &byte| value.checked_mul(256).map(|v| v | u64::from(byte)));
        if !odd(self.modulus) || !odd(self.exponent) || !exponent.is_some_and(|e| (3..1 << 33).contains(&e)) {
            return Err("modulus or exponent out of range (an odd modulus, an odd exponent from 3 to 2^33 - 1)");
        }
        Ok(())
    }
}

/// The `RSAPublicKey` of an SPKI (`SEQUENCE { SEQUENCE { rsaEncryption, NULL }, BIT STRING { RSAPublicKey } }`)
/// or of a PKCS#1 key (the `RSAPublicKey` itself: `SEQUENCE { INTEGER modulus, INTEGER exponent }`).
fn rsa_public_key(der: &[u8]) -> Result<RsaPublicKey<'_>, &'static str> {
    let (outer, rest) = der_element(der, 0x30).ok_or("not a DER SEQUENCE")?;
    if !rest.is_empty() {
        return Err("bytes after the key");
    }
    let rsa_key = match der_element(outer, 0x30) {
        Some((algorithm, after)) => {
            let (oid, _) = der_element(algorithm, 0x06).ok_or("SPKI without an algorithm identifier")?;
            if oid != RSA_ENCRYPTION_OID {
                return Err("the SPKI's algorithm is not rsaEncryption");
            }
            let (bits, rest) = der_element(after, 0x03).ok_or("SPKI without a BIT STRING")?;
            if !rest.is_empty() || bits.first() != Some(&0) {
                return Err("malformed SPKI BIT STRING");
            }
            &bits[1..]
        }
        None => der,
    };
    let (key, rest) = der_element(rsa_key, 0x30).ok_or("no RSAPublicKey SEQUENCE")?;
    let (modulus, exponent_and_rest) = der_element(key, 0x02).ok_or("no modulus INTEGER")?;
    let (exponent, rest_of_key) = der_element(exponent_and_rest, 0x02).ok_or("no exponent INTEGER")?;
    if !rest.is_empty() || !rest_of_key.is_empty() {
        return Err("bytes after the RSAPublicKey");
    }
    Ok(RsaPublicKey { der: rsa_key, modulus, exponent })
}

/// The size in bits of a positive DER INTEGER's content octets.
fn modulus_bits(modulus: &[u8]) -> usize {
    let significant = modulus.iter().position(|&byte| byte != 0).map_or(&[][..], |start| &modulus[start..]);
    significant.first().map_or(0, |first| significant.len() * 8 - first.leading_zeros() as usize)
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
