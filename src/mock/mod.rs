//! `MockKick`: an in-process fake of Kick's API and OAuth server for tests.
