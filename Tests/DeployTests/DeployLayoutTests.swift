import Foundation
import Testing

@Suite struct DeployLayoutTests {
    @Test func deployFolderIsPartOfTheRepository() {
        let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        #expect(
            FileManager.default.fileExists(
                atPath: repo.appendingPathComponent("Deploy").path, isDirectory: &isDirectory))
        #expect(isDirectory.boolValue)
    }
}
