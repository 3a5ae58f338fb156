//! Fresh identifiers in the formats Kick uses: ULIDs, UUIDs, opaque tokens and page cursors.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use rand::distr::Alphanumeric;

const CROCKFORD: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new ULID string (26 Crockford base32 characters: 48-bit milliseconds, 80 random bits).
pub(crate) fn ulid() -> String {
    let millis = chrono::Utc::now().timestamp_millis().max(0) as u128;
    let random: u128 = rand::rng().random::<u128>() & ((1u128 << 80) - 1);
    let value = (millis << 80) | random;
    (0..26).rev().map(|i| CROCKFORD[((value >> (i * 5)) & 0x1f) as usize] as char).collect()
}

/// True when `s` has the shape of a ULID (26 Crockford base32 characters, case-insensitive).
pub(crate) fn is_ulid(s: &str) -> bool {
    s.len() == 26 && s.bytes().all(|b| CROCKFORD.contains(&b.to_ascii_uppercase())) && s.as_bytes()[0] <= b'7'
}

/// A new random (version 4) UUID.
pub(crate) fn uuid() -> uuid::Uuid {
    uuid::Builder::from_random_bytes(rand::rng().random()).into_uuid()
}

/// An opaque random token of `len` alphanumeric characters.
pub(crate) fn token(len: usize) -> String {
    rand::rng().sample_iter(&Alphanumeric).take(len).map(char::from).collect()
}

/// Encodes a page offset as an opaque cursor (well inside Kick's 4–28 character range).
pub(crate) fn cursor_for(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("mk:{offset}"))
}

/// Decodes a cursor made by [`cursor_for`]; `None` when it is not one of ours.
pub(crate) fn offset_of(cursor: &str) -> Option<usize> {
    let raw = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    std::str::from_utf8(&raw).ok()?.strip_prefix("mk:")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ulids_have_the_right_shape() {
        let id = ulid();
        assert!(is_ulid(&id), "{id}");
        assert!(!is_ulid("not-a-ulid"));
    }

    #[test]
    fn cursors_round_trip() {
        for offset in [0, 25, 999_999] {
            let c = cursor_for(offset);
            assert!((4..=28).contains(&c.len()));
            assert_eq!(offset_of(&c), Some(offset));
        }
        assert_eq!(offset_of("garbage!"), None);
    }
}
