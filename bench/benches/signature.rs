//! The webhook signature check with each crypto library kickrs could use: *ring* (what kickrs uses) and
//! aws-lc-rs (reqwest's default), on a Kick-shaped delivery signed with RSA-2048 PKCS#1 v1.5 SHA-256.
//! Rounds alternate between the two; each prints the median CPU time per verification and the ratio.
//!
//! `cargo bench -p kickrs-bench --bench signature`

#[path = "support/cpu.rs"]
mod cpu;

use kickrs::webhooks::signing::TestSigner;

const PER_ROUND: u32 = 20_000;
const ROUNDS: usize = 7;

fn main() {
    let signer = TestSigner::new();
    let body =
        br#"{"message_id":"01JMXCHAT","broadcaster":{"user_id":1001,"username":"AuroraLive"},"content":"!uptime"}"#;
    let (id, timestamp) = ("01JMXMSG00000000000000000", "2026-12-02T04:00:00Z");
    let message = [id.as_bytes(), b".", timestamp.as_bytes(), b".", body].concat();
    let signature = base64_decode(&signer.sign(id, timestamp, body));
    // Both libraries verify with the PKCS#1 RSAPublicKey inside the SPKI Kick publishes.
    let spki = signer.public_key().der().to_vec();
    let pkcs1 = rsa_public_key_of(&spki);
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

/// The BIT STRING content of an RSA SPKI (`SEQUENCE { SEQUENCE { oid, NULL }, BIT STRING { 0, RSAPublicKey } }`).
fn rsa_public_key_of(spki: &[u8]) -> Vec<u8> {
    let (outer, _) = der_element(spki);
    let (_, after_algorithm) = der_element(outer);
    let (bits, _) = der_element(after_algorithm);
    bits[1..].to_vec()
}

/// The content of the DER element at the start of `input`, and what follows it.
fn der_element(input: &[u8]) -> (&[u8], &[u8]) {
    let (len, header) = match input[1] {
        short @ 0..=0x7f => (usize::from(short), 2),
        long => {
            let count = usize::from(long & 0x7f);
            (input[2..2 + count].iter().fold(0, |len, &byte| len << 8 | usize::from(byte)), 2 + count)
        }
    };
    (&input[header..header + len], &input[header + len..])
}
