//! The names of every IPC command: one list for build.rs (per-command permissions) and the
//! capability (checked by a test below).

include!("../../commands.rs");

#[cfg(test)]
mod tests {
    use super::COMMANDS;

    /// Every command has its permission in the capability (or the e2e one).
    #[test]
    fn every_command_is_granted_by_name() {
        let main = include_str!("../../capabilities/main.json");
        let e2e = include_str!("../../e2e/capability.json");
        for command in COMMANDS {
            let permission = format!("\"allow-{}\"", command.replace('_', "-"));
            assert!(
                main.contains(&permission) || e2e.contains(&permission),
                "{permission} missing"
            );
        }
    }
}
