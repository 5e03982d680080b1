//! Nothing to compile: this package exists for its manifest (see Cargo.toml), which lines
//! up the features of crates the workspace shares with the tools it builds from crates.io.
