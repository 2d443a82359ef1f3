import Foundation

FileHandle.standardError.write(Data("fleet-sim: being built (issue 3)\n".utf8))
exit(1)
