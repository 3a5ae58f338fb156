//! The delivery headers Kick sends with its webhooks, and reading them from a [`HeaderMap`].

use http::HeaderMap;

use super::error::WebhookError;

/// One of the delivery headers, with its current name and the early-2025 `X-Event-*` name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DeliveryHeader {
    /// `Kick-Event-Message-Id`: a ULID that identifies the delivery (the idempotency key).
    MessageId,
    /// `Kick-Event-Subscription-Id`: the ULID of the subscription that caused the delivery.
    SubscriptionId,
    /// `Kick-Event-Signature`: base64 RSA signature of `{message_id}.{timestamp}.{body}`.
    Signature,
    /// `Kick-Event-Message-Timestamp`: RFC 3339 time the delivery was signed.
    MessageTimestamp,
    /// `Kick-Event-Type`: the event name, e.g. `chat.message.sent`.
    EventType,
    /// `Kick-Event-Version`: the payload version, e.g. `1`.
    EventVersion,
    /// `Kick-Event-Timestamp`: when a Drops claim delivery was sent (claims carry it instead of
    /// `Kick-Event-Message-Timestamp`).
    Timestamp,
}

impl DeliveryHeader {
    /// The six headers of an event delivery, in the order Kick documents them.
    pub const ALL: [DeliveryHeader; 6] = [
        DeliveryHeader::MessageId,
        DeliveryHeader::SubscriptionId,
        DeliveryHeader::Signature,
        DeliveryHeader::MessageTimestamp,
        DeliveryHeader::EventType,
        DeliveryHeader::EventVersion,
    ];

    /// The three headers of a Drops claim delivery (Kick's drops guide, "Webhook headers").
    pub const DROPS_CLAIM: [DeliveryHeader; 3] =
        [DeliveryHeader::Signature, DeliveryHeader::MessageId, DeliveryHeader::Timestamp];

    /// The header name Kick sends today, e.g. `Kick-Event-Message-Id`.
    pub const fn name(self) -> &'static str {
        match self {
            DeliveryHeader::MessageId => "Kick-Event-Message-Id",
            DeliveryHeader::SubscriptionId => "Kick-Event-Subscription-Id",
            DeliveryHeader::Signature => "Kick-Event-Signature",
            DeliveryHeader::MessageTimestamp => "Kick-Event-Message-Timestamp",
            DeliveryHeader::EventType => "Kick-Event-Type",
            DeliveryHeader::EventVersion => "Kick-Event-Version",
            DeliveryHeader::Timestamp => "Kick-Event-Timestamp",
        }
    }

    /// The name early-2025 deliveries used, e.g. `X-Event-Message-Id` (still accepted); a header that
    /// came later (`Kick-Event-Timestamp`) has only its current name.
    pub const fn legacy_name(self) -> &'static str {
        match self {
            DeliveryHeader::MessageId => "X-Event-Message-Id",
            DeliveryHeader::SubscriptionId => "X-Event-Subscription-Id",
            DeliveryHeader::Signature => "X-Event-Signature",
            DeliveryHeader::MessageTimestamp => "X-Event-Message-Timestamp",
            DeliveryHeader::EventType => "X-Event-Type",
            DeliveryHeader::EventVersion => "X-Event-Version",
            DeliveryHeader::Timestamp => "Kick-Event-Timestamp",
        }
    }

    /// Whether the header is present under either name (empty or not).
    pub fn is_present(self, headers: &HeaderMap) -> bool {
        headers.contains_key(self.name()) || headers.contains_key(self.legacy_name())
    }

    /// Reads this header (current name first, then the legacy one) as trimmed text.
    ///
    /// # Errors
    /// [`WebhookError::MissingHeader`] when neither name is present or the value is empty,
    /// [`WebhookError::InvalidHeader`] when the value is not visible ASCII.
    pub fn read(self, headers: &HeaderMap) -> Result<&str, WebhookError> {
        let value = headers
            .get(self.name())
            .or_else(|| headers.get(self.legacy_name()))
            .ok_or(WebhookError::MissingHeader { header: self })?;
        let text = value.to_str().map_err(|_| WebhookError::InvalidHeader {
            header: self,
            reason: "value is not visible ASCII".to_owned(),
        })?;
        let text = text.trim();
        if text.is_empty() {
            return Err(WebhookError::MissingHeader { header: self });
        }
        Ok(text)
    }
}

impl std::fmt::Display for DeliveryHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}
