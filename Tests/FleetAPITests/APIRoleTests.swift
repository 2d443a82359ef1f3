import FleetAPI
import Testing

@Suite struct APIRoleTests {
    @Test func rolesAreOrderedByPrivilege() {
        #expect(APIRole.admin.includes(.operator))
        #expect(APIRole.operator.includes(.viewer))
        #expect(!APIRole.viewer.includes(.operator))
    }
}
