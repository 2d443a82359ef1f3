import Foundation

/// Reading configuration files, shared by every loader so an unreadable file is reported the same way.
enum ConfigFile {
    /// The UTF-8 text of the file at `path`.
    /// - Throws: ``ConfigError/unreadable(file:reason:)`` naming the file and the system's reason.
    static func read(_ path: String) throws(ConfigError) -> String {
        do {
            return try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw ConfigError.unreadable(file: path, reason: error.localizedDescription)
        }
    }
}
