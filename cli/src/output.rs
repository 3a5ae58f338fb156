//! Where output goes and how it looks: JSON pretty on a terminal and compact when piped, colour
//! only on a terminal and never with `NO_COLOR`, progress and errors on stderr.

use std::io::{IsTerminal, Write};

/// Output settings for one run.
pub struct Output {
    /// `--json`: machine-readable results on stdout.
    pub json: bool,
    stdout_tty: bool,
    stderr_colour: bool,
    stdout_colour: bool,
}

/// ANSI styles used by the tool.
#[derive(Clone, Copy)]
pub enum Style {
    Good,
    Bad,
    Dim,
    Bold,
}

impl Style {
    fn code(self) -> &'static str {
        match self {
            Style::Good => "32",
            Style::Bad => "31",
            Style::Dim => "2",
            Style::Bold => "1",
        }
    }
}

/// <https://no-color.org>: any non-empty value turns colour off.
fn colour_allowed() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

impl Output {
    pub fn new(json: bool) -> Self {
        let stdout_tty = std::io::stdout().is_terminal();
        Output {
            json,
            stdout_tty,
            stdout_colour: stdout_tty && colour_allowed(),
            stderr_colour: std::io::stderr().is_terminal() && colour_allowed(),
        }
    }

    fn paint_if(on: bool, style: Style, text: &str) -> String {
        if on { format!("\x1b[{}m{text}\x1b[0m", style.code()) } else { text.to_owned() }
    }

    /// `text` styled for stdout (plain when stdout is not a colour terminal).
    pub fn paint(&self, style: Style, text: &str) -> String {
        Self::paint_if(self.stdout_colour, style, text)
    }

    /// One line on stdout.
    pub fn line(&self, text: &str) {
        let mut stdout = std::io::stdout().lock();
        let _ = writeln!(stdout, "{text}");
        let _ = stdout.flush();
    }

    /// A JSON document on stdout: indented on a terminal, one line when piped.
    pub fn json_value(&self, value: &serde_json::Value) {
        let text = if self.stdout_tty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) };
        self.line(&text.unwrap_or_default());
    }

    /// A note on stderr (progress, hints), so stdout stays clean for pipes.
    pub fn note(&self, text: &str) {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{}", Self::paint_if(self.stderr_colour, Style::Dim, text));
    }

    /// The one-line error report.
    pub fn error(&self, message: &str) {
        let mut stderr = std::io::stderr().lock();
        let _ = writeln!(stderr, "{} {message}", Self::paint_if(self.stderr_colour, Style::Bad, "error:"));
    }
}
