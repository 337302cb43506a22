use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = mutual::cli::Cli::parse();
    match mutual::cli::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
