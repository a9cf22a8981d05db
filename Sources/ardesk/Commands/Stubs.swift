import ArgumentParser

struct Open: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "open", abstract: "Open the workstation.")
    @OptionGroup var options: BookOptions
    func run() throws { throw CLIError("the workstation is not built yet") }
}
