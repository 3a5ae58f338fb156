//! The webhook signature check with each crypto library kickrs could use: *ring* (what kickrs uses) and
//! aws-lc-rs (reqwest's default), on a Kick-shaped delivery signed with RSA-2048 PKCS#1 v1.5 SHA-256.
//! Rounds alternate between the two; each prints the median CPU time per verification and the ratio.
//!
//! `cargo bench -p kickrs-bench --bench signature`

#[path = "support/cpu.rs"]
mod cpu;

use kickrs::webhooks::signing::TestSigner;
use tokio_rustls::rustls::pki_types::PrivatePkcs8KeyDer;
use tokio_rustls::rustls::pki_types::pem::PemObject as _;

const PER_ROUND: u32 = 20_000;
const ROUNDS: usize = 7;

fn main() {
    let signer = TestSigner::new();
    let body =
        br#"{"message_id":"01JMXCHAT","broadcaster":{"user_id":1001,"username":"AuroraLive"},"content":"!uptime"}"#;
    let (id, timestamp) = ("01JMXMSG00000000000000000", "2026-12-02T04:00:00Z");
    let message = [id.as_bytes(), b".", timestamp.as_bytes(), b".", body].concat();
    let signature = base64_decode(&signer.sign(id, timestamp, body));
    // Both libraries verify with the signer's PKCS#1 RSAPublicKey, as *ring* reads it from the private key.
    let pkcs8 = PrivatePkcs8KeyDer::from_pem_slice(signer.private_key_pem().as_bytes()).expect("the signer's PEM");
    let key_pair = ring::signature::RsaKeyPair::from_pkcs8(pkcs8.secret_pkcs8_der()).expect("an RSA key");
    let pkcs1 = key_pair.public().as_ref().to_vec();
    let ring_key = ring::signature::UnparsedPublicKey::new(&ring::signature::RSA_PKCS1_2048_8192_SHA256, pkcs1.clone());
    let aws_key =
        aws_lc_rs::signature::UnparsedPublicKey::new(&aws_lc_rs::signature::RSA_PKCS1_2048_8192_SHA256, pkcs1);

    let time = |verify: &dyn Fn() -> bool| {
        let began = cpu::process_cpu();
        for _ in 0..PER_ROUND {
            assert!(verify(), "a valid signature was refused");
        }
        (cpu::process_cpu() - began).as_secs_f64() * 1e6 / f64::from(PER_ROUND)
    };
    let (mut ring_us, mut aws_us, mut ratios) = (vec![], vec![], vec![]);
    for _ in 0..ROUNDS {
        let r = time(&|| ring_key.verify(&message, &signature).is_ok());
        let a = time(&|| aws_key.verify(&message, &signature).is_ok());
        ring_us.push(r);
        aws_us.push(a);
        ratios.push(r / a);
    }
    println!("RSA-2048 PKCS#1 v1.5 SHA-256 verification, {PER_ROUND} per round, {ROUNDS} alternating rounds, medians:");
    println!("  ring (kickrs)  {:6.2} µs CPU per verification", median(&mut ring_us));
    println!("  aws-lc-rs      {:6.2} µs CPU per verification", median(&mut aws_us));
    println!("  ring / aws-lc-rs: {:.2}x", median(&mut ratios));
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(text).expect("the signer writes standard base64")
}
