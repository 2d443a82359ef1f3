// Ingest benchmark consumer: subscribes through FleetMQTT and decodes every VDA 5050 state message into
// the typed model, reporting the rate in the same format as the C reference subscriber
// (shared/bench/mqtt-baseline/sub.c), so scripts/bench-ingest.sh can compare the two in one run.
import FleetMQTT
import Foundation
import VDA5050

struct Options {
    var host = "127.0.0.1"
    var port = 1883
    var expected = 200_000
    var idleSeconds = 3.0
    var filter = "uagv/v2/+/+/state"
    var decoder = "fast"
    /// Decode the messages of a file (`topic payload` lines, as `pub -D` writes them) instead of subscribing.
    var replayFile: String?
    var replayRounds = 1
}

func parseOptions() -> Options {
    var options = Options()
    var args = CommandLine.arguments.dropFirst().makeIterator()
    func value(_ flag: String) -> String {
        guard let v = args.next() else {
            FileHandle.standardError.write(Data("fleet-bench-ingest: \(flag) needs a value\n".utf8))
            exit(2)
        }
        return v
    }
    func number<T: LosslessStringConvertible>(_ flag: String) -> T {
        let text = value(flag)
        guard let n = T(text) else {
            FileHandle.standardError.write(Data("fleet-bench-ingest: \(flag) '\(text)' is not a number\n".utf8))
            exit(2)
        }
        return n
    }
    while let arg = args.next() {
        switch arg {
        case "-h": options.host = value(arg)
        case "-p": options.port = number(arg)
        case "-n": options.expected = number(arg)
        case "-T": options.idleSeconds = number(arg)
        case "-s": options.filter = value(arg)
        case "--replay": options.replayFile = value(arg)
        case "--rounds": options.replayRounds = number(arg)
        case "--decoder":
            options.decoder = value(arg)
            guard ["fast", "codable", "none"].contains(options.decoder) else {
                FileHandle.standardError.write(Data("fleet-bench-ingest: --decoder is fast, codable or none\n".utf8))
                exit(2)
            }
        default:
            FileHandle.standardError.write(
                Data(
                    ("fleet-bench-ingest: unknown argument '\(arg)'\n"
                        + "usage: fleet-bench-ingest [-h HOST] [-p PORT] [-n EXPECTED] [-T IDLE_S] [-s FILTER] "
                        + "[--decoder fast|codable|none] [--replay FILE [--rounds N]]\n").utf8))
            exit(2)
        }
    }
    return options
}

/// Writes a line to standard output at once (unbuffered), so the benchmark script sees READY immediately.
func emit(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

func cpuSeconds() -> (user: Double, system: Double) {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) * 1e-6
    let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) * 1e-6
    return (user, system)
}

/// The process's peak resident set, in KiB (a growing heap shows up here).
func maxResidentKilobytes() -> Int {
    var usage = rusage()
    getrusage(Int32(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

let options = parseOptions()
if let file = options.replayFile {
    replay(file, rounds: options.replayRounds, decoder: options.decoder)
    exit(0)
}
var configuration = MQTTConfiguration(clientID: "fleet-bench-ingest-\(getpid())")
configuration.host = options.host
configuration.port = options.port
configuration.keepAlive = 60
let client = try MQTTClient(configuration: configuration)
try await client.connect()
try await client.subscribe(options.filter, qos: .atMostOnce)
emit("READY")

let cpuStart = cpuSeconds()

// A watchdog ends the stream once nothing has arrived for the idle timeout (60 s before the first
// message), so a lost message cannot hang the run.
let idleSeconds = options.idleSeconds
let watchdog = Task {
    var lastCount = 0
    var lastChange = monotonicSeconds()
    while !Task.isCancelled {
        try? await Task.sleep(for: .milliseconds(200))
        let received = client.receivedMessageCount
        let now = monotonicSeconds()
        if received != lastCount {
            lastCount = received
            lastChange = now
        } else if now - lastChange > (received == 0 ? 60 : idleSeconds) {
            await client.disconnect()
            return
        }
    }
}

enum DecoderChoice { case fast, codable, none }
let choice: DecoderChoice =
    switch options.decoder {
    case "fast": .fast
    case "codable": .codable
    default: .none
    }

let tally = await receive(from: client, expected: options.expected, decoder: choice)
watchdog.cancel()
let cpuEnd = cpuSeconds()
let elapsed = tally.lastTime - tally.firstTime
let rate = elapsed > 0 ? Double(tally.count - 1) / elapsed : 0
emit(
    "SUB mode=swift-\(options.decoder) qos=0 received=\(tally.count) expected=\(options.expected) "
        + "lost=\(options.expected - tally.count) first_to_last_s=\(String(format: "%.3f", elapsed)) "
        + "rate=\(String(format: "%.0f", rate)) msg/s MB/s=\(String(format: "%.1f", elapsed > 0 ? Double(tally.bytes) / elapsed / 1e6 : 0)) "
        + "cpu_user=\(String(format: "%.3f", cpuEnd.user - cpuStart.user)) "
        + "cpu_sys=\(String(format: "%.3f", cpuEnd.system - cpuStart.system)) "
        + "batches=\(tally.batches) largest_batch=\(tally.largestBatch) max_rss_kb=\(maxResidentKilobytes()) "
        + "decode_errors=\(tally.decodeErrors) dropped=\(client.droppedMessageCount) checksum=\(tally.checksum)")
await client.disconnect()

/// What the consumer counted.
struct Tally {
    var count = 0
    var bytes = 0
    var decodeErrors = 0
    var checksum: UInt64 = 0
    var batches = 0
    var largestBatch = 0
    /// The clock when the first batch arrived and after the last batch was processed.
    var firstTime = 0.0
    var lastTime = 0.0
}

/// Receives and decodes `expected` messages (or until the client is disconnected).
///
/// Messages are taken in batches (one lock per batch, the batch's storage reused); the clock is read when the
/// first batch arrives and after each batch is processed, so the rate covers decoding the last message.
///
/// This loop must stay in a function: as top-level code in `main.swift`, Swift 6.3.1 (-O) never released the
/// buffer behind `batch[..<take]`, so every batch and every payload leaked (1.2 KB per message; the heap grew
/// for the whole run and the page faults showed up as system time).
func receive(from client: MQTTClient, expected: Int, decoder choice: DecoderChoice) async -> Tally {
    let fast = FastStateDecoder()
    let codable = VDA5050Codec()
    var tally = Tally()
    var iterator = client.messages.makeAsyncIterator()
    var batch: [MQTTMessage] = []
    receive: while await iterator.nextBatch(into: &batch) {
        if tally.count == 0 { tally.firstTime = monotonicSeconds() }
        let take = min(batch.count, expected - tally.count)
        tally.batches += 1
        tally.largestBatch = max(tally.largestBatch, batch.count)
        for message in batch[..<take] {
            tally.bytes += message.payload.count
            switch choice {
            case .fast:
                do {
                    let state = try fast.decode(message.payload)
                    tally.checksum &+= UInt64(state.headerId) &+ UInt64(state.nodeStates.count)
                } catch {
                    tally.decodeErrors += 1
                }
            case .codable:
                do {
                    let state = try codable.decode(State.self, from: message.payload)
                    tally.checksum &+= UInt64(state.headerId) &+ UInt64(state.nodeStates.count)
                } catch {
                    tally.decodeErrors += 1
                }
            case .none:
                tally.checksum &+= UInt64(message.payload.count)
            }
        }
        tally.count += take
        tally.lastTime = monotonicSeconds()
        if tally.count >= expected { break receive }
    }
    return tally
}

/// Decodes the messages of a file in memory, `rounds` times: the decoder's cost without MQTT, for profiling
/// (`valgrind --tool=callgrind fleet-bench-ingest --replay /tmp/states.txt`).
func replay(_ path: String, rounds: Int, decoder: String) {
    guard let data = FileManager.default.contents(atPath: path) else {
        FileHandle.standardError.write(Data("fleet-bench-ingest: cannot read \(path)\n".utf8))
        exit(2)
    }
    var messages: [MQTTMessage] = []
    for line in data.split(separator: UInt8(ascii: "\n")) {
        guard let space = line.firstIndex(of: UInt8(ascii: " ")) else { continue }
        messages.append(
            MQTTMessage(
                topic: String(decoding: line[..<space], as: UTF8.self), payload: [UInt8](line[(space + 1)...])))
    }
    let fast = FastStateDecoder()
    let codable = VDA5050Codec()
    var decodeErrors = 0
    var checksum: UInt64 = 0
    let cpuStart = cpuSeconds()
    let start = monotonicSeconds()
    for _ in 0..<rounds {
        for message in messages {
            do {
                let state =
                    decoder == "codable"
                    ? try codable.decode(State.self, from: message.payload) : try fast.decode(message.payload)
                checksum &+= UInt64(state.headerId) &+ UInt64(state.nodeStates.count)
            } catch {
                decodeErrors += 1
            }
        }
    }
    let elapsed = monotonicSeconds() - start
    let cpuEnd = cpuSeconds()
    let total = messages.count * rounds
    emit(
        "REPLAY decoder=\(decoder) messages=\(total) ns_per_message=\(String(format: "%.0f", elapsed / Double(max(total, 1)) * 1e9)) "
            + "cpu_user=\(String(format: "%.3f", cpuEnd.user - cpuStart.user)) decode_errors=\(decodeErrors) checksum=\(checksum)"
    )
}
