import Foundation

/// The scenario's name: its top-level `name:` key, else the file name without extension.
enum ScenarioName {
    /// Reads the name of the scenario in `file`.
    static func read(from file: URL) -> String {
        let fallback = file.deletingPathExtension().lastPathComponent
        guard let text = try? String(contentsOf: file, encoding: .utf8) else { return fallback }
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where line.hasPrefix("name:") {
            var value = line.dropFirst("name:".count)
            if let hash = value.firstIndex(of: "#") { value = value[..<hash] }
            let name = value.trimmingCharacters(in: CharacterSet(charactersIn: " \t\"'"))
            let safe = name.unicodeScalars.allSatisfy {
                CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)
            }
            return name.isEmpty || !safe ? fallback : name
        }
        return fallback
    }
}
