/// The catalogue KPIs the journal cannot support yet, each reported as `INSUFFICIENT_DATA` with the missing
/// events named (never as a made-up number).
public enum UnsupportedKPIs {
    /// Every unsupported KPI, catalogue order.
    public static let all: [KPIResult] = [
        .unsupported(
            "fall_detection_sensitivity", "Fall detection sensitivity", catalogue: "B3.3", unit: "ratio",
            kind: .proportion, reason: "needs staff-confirmed ground truth (true and missed falls), not journaled"),
        .unsupported(
            "escalation_appropriateness", "Escalation appropriateness", catalogue: "B3.4", unit: "ratio",
            kind: .proportion,
            reason: "needs the protocol's triggers as records to compare escalations with (precision/recall)"),
    ]
}
