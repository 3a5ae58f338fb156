//! Issue 14: what a hostile server or a broken network cannot do to a client. Each module is one
//! capability, proved over real sockets (wiremock, or a raw TCP server where wiremock is too polite).

mod hardening {
    pub mod answers;
    pub mod decoding;
    pub mod errors;
    pub mod pagination;
    pub mod redirects;
    pub mod support;
    pub mod timeouts;
    pub mod wire;
}
