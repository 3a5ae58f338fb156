//! The auth methods of [`KickClient`]: login, setting a token by hand, revoke and introspect.

use url::Url;

use super::login::{self, LoginOptions, PendingLogin};
use super::{AccessToken, Scope, TokenHint, TokenIntrospection, TokenKind, UserToken};
use crate::KickClient;

impl KickClient {
    /// Logs a user in interactively (kickpy's `authenticate`): PKCE S256 with a fresh verifier and
    /// state, a callback listener on `127.0.0.1`, the browser opened at Kick's consent page (the URL
    /// is also logged and printed), then the code exchange. The token is saved to the token store
    /// and used for user-token calls from then on.
    ///
    /// A request to the callback without this login's `state` (a stale tab, or any local web page) gets a
    /// 400 page and the login keeps waiting for its own callback until the timeout.
    ///
    /// Errors: [`super::AuthError::Denied`], [`super::AuthError::Timeout`],
    /// [`super::AuthError::PortInUse`], [`super::AuthError::ExchangeRefused`] (inside [`crate::Error::Auth`]).
    ///
    /// ```no_run
    /// use kickrs::auth::{LoginOptions, Scope};
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// client.authenticate(&[Scope::UserRead, Scope::ChatWrite], LoginOptions::default()).await?;
    /// # Ok(()) }
    /// ```
    pub async fn authenticate(&self, scopes: &[Scope], options: LoginOptions) -> crate::Result<UserToken> {
        Ok(login::authenticate(&self.core().state().auth, scopes, options).await?)
    }

    /// Starts a login for web apps that receive Kick's redirect on their own server: returns the URL
    /// to send the user to and the [`PendingLogin`] to finish with the callback's `code` and `state`.
    ///
    /// ```no_run
    /// use kickrs::auth::Scope;
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let redirect = "https://bot.example/kick/callback".parse().unwrap();
    /// let (url, pending) = client.authorization_url(&[Scope::ChatWrite], &redirect)?;
    /// // ... redirect the user to `url`; your callback handler then calls:
    /// pending.complete("code-from-query", "state-from-query").await?;
    /// # Ok(()) }
    /// ```
    pub fn authorization_url(&self, scopes: &[Scope], redirect_uri: &Url) -> crate::Result<(Url, PendingLogin)> {
        Ok(login::authorization_url(&self.core().state().auth, scopes, redirect_uri)?)
    }

    /// Uses a user token obtained elsewhere (kickpy's `set_user_token`); `expires_in` is the access
    /// token's remaining lifetime, `scope` the space-separated scope string, `refresh_token` may be
    /// empty when there is none. The token is saved to the token store first. No scope needed; works
    /// offline.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// use std::time::Duration;
    /// use kickrs::auth::Scope;
    /// let scopes = [Scope::UserRead, Scope::ChatWrite];
    /// client.set_user_token("access-token", "refresh-token", Duration::from_secs(7200), &scopes).await?;
    /// # Ok(()) }
    /// ```
    pub async fn set_user_token(
        &self,
        access_token: impl Into<String>,
        refresh_token: impl Into<String>,
        expires_in: std::time::Duration,
        scopes: &[Scope],
    ) -> crate::Result<()> {
        let scope = Scope::join(scopes);
        let (access_token, refresh_token) = (access_token.into(), refresh_token.into());
        let refresh_token = Some(refresh_token.as_str()).filter(|t| !t.is_empty());
        Ok(self.core().state().auth.set_user_token(&access_token, refresh_token, expires_in.as_secs(), &scope).await?)
    }

    /// The current user token (loaded from the token store on first use), e.g. to check
    /// [`UserToken::refresh_token_time_left`]. `Ok(None)` when there is none.
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// if let Some(token) = client.user_token().await? {
    ///     println!("refresh token valid for {:?} more", token.refresh_token_time_left());
    /// }
    /// # Ok(()) }
    /// ```
    pub async fn user_token(&self) -> crate::Result<Option<UserToken>> {
        match self.core().state().auth.user_token().await {
            Ok(token) => Ok(Some(UserToken::clone(&token))),
            Err(crate::Error::MissingToken { .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Revokes a token at Kick (`POST id.kick.com/oauth/revoke`). The token goes in the form body
    /// (RFC 7009), never the URL.
    ///
    /// ```no_run
    /// use kickrs::auth::TokenHint;
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// client.revoke_token("a-token-to-revoke", Some(TokenHint::AccessToken)).await?;
    /// # Ok(()) }
    /// ```
    pub async fn revoke_token(&self, token: &str, hint: Option<TokenHint>) -> crate::Result<()> {
        Ok(self.core().state().auth.revoke_token(token, hint).await?)
    }

    /// Asks Kick about the client's current token of `kind` (`POST /oauth/token/introspect`); the token
    /// is fetched or refreshed first, like for any call.
    ///
    /// ```no_run
    /// use kickrs::auth::TokenKind;
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let info = client.introspect_token(TokenKind::User).await?;
    /// println!("active: {}, scopes: {:?}", info.active, info.scopes);
    /// # Ok(()) }
    /// ```
    pub async fn introspect_token(&self, kind: TokenKind) -> crate::Result<TokenIntrospection> {
        self.core().state().auth.introspect_token(kind).await
    }

    /// A usable access token of `kind`, fetched or refreshed first exactly as for a call (the app
    /// token on first need, the user token loaded from the store and refreshed near expiry), for a
    /// request the client does not make itself, e.g. a command-line tool or another HTTP stack.
    ///
    /// ```no_run
    /// use kickrs::auth::TokenKind;
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let token = client.access_token(TokenKind::App).await?;
    /// let header = format!("Bearer {}", token.secret());
    /// # let _ = header; Ok(()) }
    /// ```
    pub async fn access_token(&self, kind: TokenKind) -> crate::Result<AccessToken> {
        self.core().state().auth.access_token(kind).await
    }

    /// Refreshes the user token now, even when it is still fresh (`grant_type=refresh_token`), saves
    /// the new one to the token store and returns it.
    ///
    /// Errors: [`crate::Error::MissingToken`] when there is no user token,
    /// [`super::AuthError::NoRefreshToken`] or Kick's refusal inside [`crate::Error::Auth`].
    ///
    /// ```no_run
    /// # async fn demo(client: kickrs::KickClient) -> kickrs::Result<()> {
    /// let renewed = client.refresh_user_token().await?;
    /// println!("valid until {}", renewed.expires_at());
    /// # Ok(()) }
    /// ```
    pub async fn refresh_user_token(&self) -> crate::Result<UserToken> {
        let token = self.core().state().auth.refresh_user_now().await?;
        Ok(UserToken::clone(&token))
    }
}
