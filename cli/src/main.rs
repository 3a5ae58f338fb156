//! `kick`: MockKick as a standalone server, signed test webhooks, tokens and API calls from a shell.
//!
//! Each subcommand lives in its own module; this file parses the command line, runs the command
//! and turns any failure into one line on stderr and exit status 1.

mod api;
mod args;
mod config;
mod deliveries;
mod event;
mod fail;
mod mock_admin;
mod mock_serve;
mod output;
mod payloads;
mod seed;
mod token;

use std::process::ExitCode;

use clap::{CommandFactory, Parser};

use args::{Cli, Command, EventCommand, MockCommand, TokenCommand};
use fail::Fail;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let output = output::Output::new(cli.json);
    let runtime = match tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            output.error(&format!("cannot start the async runtime: {e}"));
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli, &output)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(fail) => {
            output.error(&fail.to_string());
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli, out: &output::Output) -> Result<(), Fail> {
    match cli.command {
        Command::Mock { command } => match command {
            MockCommand::Serve(a) => mock_serve::serve(a, out).await,
            MockCommand::Action(action) => mock_admin::run(action, out).await,
        },
        Command::Event { command } => match command {
            EventCommand::Trigger(a) => event::trigger(a, out).await,
            EventCommand::Retrigger(a) => event::retrigger(a, out).await,
            EventCommand::Keypair(a) => event::keypair(a, out),
            EventCommand::Verify(a) => event::verify(a, out).await,
        },
        Command::Token { command } => match command {
            TokenCommand::Login(a) => token::login(a, out).await,
            TokenCommand::App(a) => token::app(a, out).await,
            TokenCommand::Refresh(a) => token::refresh(a, out).await,
            TokenCommand::Revoke(a) => token::revoke(a, out).await,
            TokenCommand::Show(a) => token::show(a, out).await,
        },
        Command::Api(a) => api::call(a, out).await,
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "kick", &mut std::io::stdout());
            Ok(())
        }
    }
}
