//! Chat helpers: split message content into text and `[emote:ID:NAME]` tokens.
//!
//! ```
//! use kickrs::webhooks::chat::{ChatSegment, parse_chat_content};
//!
//! let segments = parse_chat_content("gg [emote:37226:KEKW]!");
//! assert_eq!(
//!     segments,
//!     [
//!         ChatSegment::Text("gg "),
//!         ChatSegment::Emote { id: "37226", name: "KEKW" },
//!         ChatSegment::Text("!"),
//!     ]
//! );
//! ```

const EMOTE_OPEN: &str = "[emote:";

/// A piece of chat content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChatSegment<'a> {
    /// Plain text (including any bracketed text that is not a well-formed emote token).
    Text(&'a str),
    /// An emote token `[emote:ID:NAME]`.
    Emote {
        /// The emote id (digits).
        id: &'a str,
        /// The emote name.
        name: &'a str,
    },
}

/// Splits `content` into text and emote segments. Malformed tokens stay text; adjacent text is
/// returned as one segment; the empty string gives no segments.
pub fn parse_chat_content(content: &str) -> Vec<ChatSegment<'_>> {
    let mut segments = Vec::new();
    let mut text_start = 0;
    let mut cursor = 0;
    while let Some(found) = content[cursor..].find(EMOTE_OPEN) {
        let token_start = cursor + found;
        match parse_emote_token(&content[token_start..]) {
            Some((id, name, token_len)) => {
                if text_start < token_start {
                    segments.push(ChatSegment::Text(&content[text_start..token_start]));
                }
                segments.push(ChatSegment::Emote { id, name });
                cursor = token_start + token_len;
                text_start = cursor;
            }
            None => cursor = token_start + EMOTE_OPEN.len(),
        }
    }
    if text_start < content.len() {
        segments.push(ChatSegment::Text(&content[text_start..]));
    }
    segments
}

/// Parses `[emote:ID:NAME]` at the start of `input`: returns id, name and the token's length.
fn parse_emote_token(input: &str) -> Option<(&str, &str, usize)> {
    let rest = input.strip_prefix(EMOTE_OPEN)?;
    let id_len = rest.find(':')?;
    let id = &rest[..id_len];
    if id.is_empty() || !id.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let after_id = &rest[id_len + 1..];
    let name_len = after_id.find(']')?;
    let name = &after_id[..name_len];
    let name_is_valid = !name.is_empty() && !name.chars().any(|c| c.is_whitespace() || c == '[' || c == ':');
    if !name_is_valid {
        return None;
    }
    Some((id, name, EMOTE_OPEN.len() + id_len + 1 + name_len + 1))
}
