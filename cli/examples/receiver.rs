//! A minimal webhook receiver to point `kick event trigger` at: kickrs' own `Verifier` and
//! `WebhookServer`, trusting the public key PEM given as the first argument, on the port given as
//! the second. Prints one line per verified delivery.
//!
//! ```sh
//! kick event keypair --out keys
//! cargo run -p kick-cli --example receiver -- keys/public.pem 3000
//! kick event trigger channel.followed -F http://127.0.0.1:3000/kick --private-key keys/private.pem
//! ```

use kickrs::webhooks::axum::WebhookServer;
use kickrs::webhooks::{BoxError, Delivered, Dispatcher, Event, Verifier};

#[tokio::main]
async fn main() -> Result<(), BoxError> {
    let mut args = std::env::args().skip(1);
    let (Some(pem_path), Some(port)) = (args.next(), args.next()) else {
        return Err("usage: receiver PUBLIC_KEY.pem PORT".into());
    };
    let pem = std::fs::read_to_string(&pem_path).map_err(|e| format!("reading {pem_path}: {e}"))?;
    let port: u16 = port.parse().map_err(|e| format!("port {port}: {e}"))?;
    let dispatcher =
        Dispatcher::new(Verifier::new().with_public_key_pem(&pem)?).on_any(|d: Delivered<Event>| async move {
            println!("verified {} {}", d.meta.event_type, d.meta.message_id);
            Ok(())
        });
    let server = WebhookServer::new(dispatcher).path("/kick").bind_addr(([127, 0, 0, 1], port).into()).listen().await?;
    println!("receiving at {}", server.url());
    tokio::signal::ctrl_c().await?;
    Ok(server.shutdown().await?)
}
