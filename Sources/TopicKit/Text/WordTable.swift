/// The words a fitted vectorizer knows, keyed by their bytes held inline: a token of at most 16 bytes is found
/// with one hash and one probe run of 32-byte slots, no pointer chase into an arena and no memcmp.
///
/// A slot is four words: the token's first 8 bytes, its next 8 (zero-padded, little-endian loads), its
/// length (0 = empty slot), and the answer: the word's token id (or -2 for a stop word) in the low 32 bits,
/// the column of the word as a unigram term (or -1) in the high 32. Longer tokens are not stored here;
/// callers look them up in the `ByteTermTable` (they are rare).
struct WordTable {
    static let maximumLength = 16

    /// Slots start on a cache line, so a 32-byte slot is always within one line.
    private let storage: AlignedWords
    private let mask: Int

    /// Entries: (bytes, token id or -2, unigram column or -1); only tokens of 1 to 16 bytes are stored.
    init(capacity: Int) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        storage = AlignedWords(zeroed: 4 * size)
        mask = size - 1
    }

    /// The two little-endian words of a token of 1 to 16 bytes; reads 16 bytes from `start`, so the caller
    /// guarantees 16 readable bytes there (a padded buffer).
    @inline(__always)
    static func words(_ start: UnsafePointer<UInt8>, length: Int) -> (UInt64, UInt64) {
        let raw = UnsafeRawPointer(start)
        var w0 = raw.loadUnaligned(as: UInt64.self)
        var w1 = raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)
        if length < 8 {
            w0 &= (UInt64(1) << UInt64(length * 8)) &- 1
            w1 = 0
        } else if length < 16 {
            w1 &= (UInt64(1) << UInt64((length - 8) * 8)) &- 1
        }
        return (w0, w1)
    }

    @inline(__always)
    static func hash(_ w0: UInt64, _ w1: UInt64, _ length: Int) -> Int {
        var h = (w0 ^ UInt64(truncatingIfNeeded: length)) &* 0x9E37_79B9_7F4A_7C15
        h ^= w1 &* 0xBF58_476D_1CE4_E5B9
        h ^= h >> 29
        h = h &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: h ^ (h >> 32))
    }

    /// Adds a token of 1 to 16 bytes (no-op when present).
    mutating func insert(_ token: UnsafeBufferPointer<UInt8>, id: Int32, column: Int32) {
        precondition(!token.isEmpty && token.count <= WordTable.maximumLength)
        var padded: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &padded) { raw in
            raw.copyMemory(from: UnsafeRawBufferPointer(token))
        }
        let (w0, w1) = padded
        let length = UInt64(token.count)
        let m = mask
        do {
            let s = storage.pointer
            var i = WordTable.hash(w0, w1, token.count) & m
            while s[4 &* i &+ 2] != 0 {
                if s[4 &* i] == w0 && s[4 &* i &+ 1] == w1 && s[4 &* i &+ 2] == length { return }
                i = (i &+ 1) & m
            }
            s[4 &* i] = w0
            s[4 &* i &+ 1] = w1
            s[4 &* i &+ 2] = length
            s[4 &* i &+ 3] = UInt64(UInt32(bitPattern: id)) | UInt64(UInt32(bitPattern: column)) << 32
        }
    }

    /// (token id or -2 for a stop word, unigram column or -1) of a token of 1 to 16 bytes, or (-1, -1)
    /// when unknown. Reads 16 bytes from `start`.
    @inline(__always)
    func find(_ start: UnsafePointer<UInt8>, length: Int) -> (id: Int32, column: Int32) {
        let (w0, w1) = WordTable.words(start, length: length)
        return find(w0, w1, length: length, from: home(w0, w1, length: length))
    }

    /// The first slot of the token with words `w0`, `w1`.
    @inline(__always)
    func home(_ w0: UInt64, _ w1: UInt64, length: Int) -> Int { WordTable.hash(w0, w1, length) & mask }

    /// Starts loading the home slot ahead of `find(_:_:length:from:)`.
    @inline(__always)
    func prefetch(_ home: Int) {
        Prefetch.read(storage.pointer + 4 &* home)
    }

    /// `find` with the token's words and home slot already computed.
    @inline(__always)
    func find(_ w0: UInt64, _ w1: UInt64, length: Int, from home: Int) -> (id: Int32, column: Int32) {
        let len = UInt64(truncatingIfNeeded: length)
        do {
            let s = UnsafePointer(storage.pointer)
            var i = home
            while true {
                let l = s[4 &* i &+ 2]
                if l == 0 { return (-1, -1) }
                if l == len && s[4 &* i] == w0 && s[4 &* i &+ 1] == w1 {
                    let v = s[4 &* i &+ 3]
                    return (Int32(truncatingIfNeeded: v), Int32(truncatingIfNeeded: v >> 32))
                }
                i = (i &+ 1) & mask
            }
        }
    }
}
