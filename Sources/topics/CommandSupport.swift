import ArgumentParser
import Dispatch
import Foundation
import TopicKit

/// Prints a library error the way every command does (`error: ...` on stderr) and exits non-zero.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        AtomicFileWriter.registry.removeAll()
        FileHandle.standardError.write(Data("error: \(error)\n".utf8))
        throw ExitCode(1)
    }
}

/// Writes one line to standard error.
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// Ctrl-C (and SIGTERM) stop a long command promptly, remove its temporary files and say so.
enum InterruptHandling {
    nonisolated(unsafe) private static var sources: [DispatchSourceSignal] = []

    static func install() {
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                AtomicFileWriter.registry.removeAll()
                FileHandle.standardError.write(Data("\ninterrupted: temporary files removed; existing models and --output files are unchanged\n".utf8))
                exit(130)
            }
            source.resume()
            sources.append(source)
        }
    }
}
