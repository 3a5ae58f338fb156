//! OAuth 2.1 + PKCE login, app and user tokens, refresh and token stores.
