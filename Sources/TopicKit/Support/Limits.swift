/// Every size limit TopicKit enforces on its inputs, in one place. Each is checked before memory in
/// proportion to the claimed size is allocated, and exceeding one is a typed error naming the file.
public enum Limits {
    /// Longest line (listing dumps, JSON Lines, labels) or record (CSV/TSV): 8 MiB
    /// (`CorpusError.recordTooLong`; with `--skip-bad` the record is skipped and counted).
    public static let maximumRecordBytes = 8 << 20
    /// Largest safetensors JSON header: 100 MiB, as in the reference implementation
    /// (`SafeTensorsError.headerTooLarge`, checked on the 8-byte length before reading the header).
    public static let maximumSafeTensorsHeaderBytes = 100 << 20
    /// Largest single tensor: 16 GiB (`SafeTensorsError.tensorTooLarge`).
    public static let maximumTensorBytes = 16 << 30
    /// Largest `config.json`: 64 MiB (`ModelBundleError.fileTooLarge`, checked on the file size).
    public static let maximumConfigBytes = 64 << 20
    /// Most terms in a vocabulary: 2^26 = 67,108,864 (`ModelBundleError.vocabularyTooLarge`, checked on
    /// config.json's `vocab_size` before vocab.txt is read, and when a bundle is saved).
    public static let maximumVocabularySize = 1 << 26
    /// Largest `vocab.txt`: 4 GiB (`ModelBundleError.fileTooLarge`, checked on the file size).
    public static let maximumVocabularyFileBytes = 4 << 30
}
