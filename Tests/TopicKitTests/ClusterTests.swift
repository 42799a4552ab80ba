import XCTest
@testable import TopicKit

/// k-means, seeding, keywords, silhouette, agreement scores and the clustering pipeline.
final class ClusterTests: XCTestCase {
    /// `perCluster` Gaussian points (sd 0.3) around each of `k` centres spaced 10 apart, rows interleaved.
    private func blobs(k: Int, perCluster: Int, dims: Int, seed: UInt64) -> (DenseMatrix, [Int]) {
        var rng = SeededGenerator(seed: seed)
        var values: [Float] = [], truth: [Int] = []
        for i in 0..<(k * perCluster) {
            let c = i % k
            for d in 0..<dims { values.append((d == c % dims ? 10 * Float(c + 1) : Float(c) * 3) + 0.3 * rng.nextGaussian()) }
            truth.append(c)
        }
        return (DenseMatrix(rows: k * perCluster, columns: dims, values: values), truth)
    }

    private func randomMatrix(rows: Int, columns: Int, seed: UInt64) -> DenseMatrix {
        var rng = SeededGenerator(seed: seed)
        return DenseMatrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { _ in rng.nextGaussian() })
    }

    func testLloydRecoversWellSeparatedClusters() throws {
        let (x, truth) = blobs(k: 5, perCluster: 80, dims: 6, seed: 1)
        let result = try KMeans(k: 5, seed: 3).fit(x)
        XCTAssertEqual(try ClusterAgreement.ari(result.assignments.map(Int.init), truth), 1)
        XCTAssertTrue(result.converged)
        XCTAssertEqual(result.clusterSizes.sorted(), [80, 80, 80, 80, 80])
        XCTAssertEqual(result.inertia, result.distances.reduce(0.0) { $0 + Double($1) }, accuracy: 1e-6 * result.inertia)
        let (predicted, distances) = try result.predict(x)
        XCTAssertEqual(predicted, result.assignments)
        XCTAssertEqual(distances, result.distances)
    }

    func testMiniBatchAndKMeansParallelRecoverClusters() throws {
        let (x, truth) = blobs(k: 4, perCluster: 150, dims: 5, seed: 2)
        let mini = try KMeans(k: 4, nInit: 3, seed: 1, algorithm: .miniBatch(batchSize: 64)).fit(x)
        XCTAssertEqual(try ClusterAgreement.ari(mini.assignments.map(Int.init), truth), 1)
        let parallelInit = try KMeans(k: 4, seed: 1, initialization: .kMeansParallel).fit(x)
        XCTAssertEqual(try ClusterAgreement.ari(parallelInit.assignments.map(Int.init), truth), 1)
    }

    func testSameSeedGivesIdenticalClustersForOneAndTwoThreads() throws {
        let x = randomMatrix(rows: 5000, columns: 8, seed: 4)
        setenv("TOPICKIT_THREADS", "1", 1)
        let one = try KMeans(k: 7, nInit: 2, seed: 9).fit(x)
        let oneMini = try KMeans(k: 7, nInit: 1, seed: 9, algorithm: .miniBatch(batchSize: 256)).fit(x)
        setenv("TOPICKIT_THREADS", "2", 1)
        let two = try KMeans(k: 7, nInit: 2, seed: 9).fit(x)
        let twoMini = try KMeans(k: 7, nInit: 1, seed: 9, algorithm: .miniBatch(batchSize: 256)).fit(x)
        unsetenv("TOPICKIT_THREADS")
        XCTAssertEqual(one, two)
        XCTAssertEqual(oneMini, twoMini)
        let otherSeed = try KMeans(k: 7, nInit: 2, seed: 10).fit(x)
        XCTAssertNotEqual(one.assignments, otherSeed.assignments)
    }

    func testSameSeedGivesIdenticalClustersWhateverTheBLASThreads() throws {
        // Enough rows for several GEMM blocks per chunk and for OpenBLAS to split a GEMM over its threads.
        let x = randomMatrix(rows: 9000, columns: 16, seed: 8)
        let threaded = try KMeans(k: 20, nInit: 1, seed: 3).fit(x)
        let single = try BLAS.singleThreaded { try KMeans(k: 20, nInit: 1, seed: 3).fit(x) }
        XCTAssertEqual(threaded, single)
        XCTAssertEqual(threaded.gemmRows.first, HamerlyBounds.blockRows)
        let predicted = try threaded.predict(x)
        let predictedSingle = try BLAS.singleThreaded { try threaded.predict(x) }
        XCTAssertEqual(predicted.0, predictedSingle.0)
        XCTAssertEqual(predicted.1, predictedSingle.1)
        for options in [KMeans(k: 20, nInit: 1, seed: 3, initialization: .kMeansParallel),
                        KMeans(k: 20, nInit: 1, seed: 3, algorithm: .miniBatch(batchSize: 600))] {
            let a = try options.fit(x)
            let b = try BLAS.singleThreaded { try options.fit(x) }
            XCTAssertEqual(a, b)
        }
        XCTAssertGreaterThan(threaded.gemmRows.reduce(0, +), x.rows)
    }

    func testRestartsKeepTheLowestInertia() throws {
        let x = randomMatrix(rows: 600, columns: 4, seed: 5)
        let single = (0..<4).map { run -> Double in
            var rng = SeededGenerator(seed: 2).derived(UInt64(run))
            let km = KMeans(k: 6, nInit: 1, seed: 2)
            return km.lloyd(x, initial: km.seeds(x, rng: &rng), tolerance: 0).inertia
        }
        let best = try KMeans(k: 6, nInit: 4, tolerance: 0, seed: 2).fit(x)
        XCTAssertEqual(best.inertia, single.min()!)
    }

    func testInertiaNeverIncreasesAcrossLloydIterations() throws {
        let x = randomMatrix(rows: 3000, columns: 6, seed: 6)
        let result = try KMeans(k: 12, nInit: 1, tolerance: 0, seed: 1).fit(x)
        XCTAssertGreaterThan(result.inertiaHistory.count, 3)
        for (previous, next) in zip(result.inertiaHistory, result.inertiaHistory.dropFirst()) {
            XCTAssertLessThanOrEqual(next, previous * (1 + 1e-6))
        }
    }

    func testHamerlyBoundsAssignLikeFullGEMMPasses() {
        // Overlapping clusters: many rows change centroid in early passes, few later.
        let x = randomMatrix(rows: 4000, columns: 8, seed: 11)
        var rng = SeededGenerator(seed: 3)
        let km = KMeans(k: 15, nInit: 1)
        var centroids = km.seeds(x, rng: &rng)
        var bounds = HamerlyBounds(x)
        var labels = [Int32](repeating: -1, count: x.rows)
        var recomputed: [Int] = []
        for _ in 0..<25 {
            let pass = bounds.assign(x, centroids: centroids, labels: &labels)
            recomputed.append(bounds.recomputedRows)
            var fullLabels = [Int32](repeating: -1, count: x.rows), fullDistances = [Float](repeating: 0, count: x.rows)
            let full = NearestCentroid.assign(x, centroids: centroids, labels: &fullLabels, distances: &fullDistances,
                                              accumulate: true)
            XCTAssertEqual(labels, fullLabels)
            XCTAssertEqual(pass.counts, full.counts)
            XCTAssertEqual(pass.inertia, full.inertia, accuracy: 1e-5 * full.inertia)
            let exact = HamerlyBounds.exactDistances(x, centroids: centroids, labels: labels)
            XCTAssertEqual(exact.inertia, full.inertia, accuracy: 1e-5 * full.inertia)
            for i in 0..<x.rows { XCTAssertEqual(exact.distances[i], fullDistances[i], accuracy: 1e-5 * max(1, fullDistances[i])) }
            for t in 0..<pass.sums.count { XCTAssertEqual(pass.sums[t], full.sums[t], accuracy: 1e-3) }
            var next = centroids
            for j in 0..<15 where pass.counts[j] > 0 {
                for t in 0..<8 { next[j, t] = Float(pass.sums[j * 8 + t] / Double(pass.counts[j])) }
            }
            centroids = next
        }
        XCTAssertEqual(recomputed.first, x.rows)
        XCTAssertLessThan(recomputed.last!, x.rows / 2, "the bounds should spare most rows once centroids settle: \(recomputed)")
        XCTAssertEqual(bounds.gemmRows.reduce(0, +), recomputed.reduce(0, +))
        XCTAssertLessThanOrEqual(bounds.gemmRows.max()!, HamerlyBounds.blockRows)
    }

    func testNearestTwoMatchesAScalarScanWithTies() {
        var rng = SeededGenerator(seed: 23)
        for k in [1, 2, 7, 8, 9, 16, 50, 53] {
            for round in 0..<40 {
                // Few distinct values, so ties between lanes and blocks are common.
                let norms = (0..<k).map { _ in Float(KMeansSeeding.uniformIndex(4, &rng)) }
                let products = (0..<k).map { _ in round % 2 == 0 ? Float(KMeansSeeding.uniformIndex(3, &rng)) : rng.nextGaussian() }
                var best = 0, bestValue = norms[0] - 2 * products[0], second = Float.infinity
                for j in 1..<k {
                    let v = norms[j] - 2 * products[j]
                    if v < bestValue { second = bestValue; bestValue = v; best = j } else if v < second { second = v }
                }
                let found = norms.withUnsafeBufferPointer { n in
                    products.withUnsafeBufferPointer { p in HamerlyBounds.nearestTwo(n.baseAddress!, p.baseAddress!, k) }
                }
                XCTAssertEqual(found.best, best, "k \(k) round \(round)")
                XCTAssertEqual(found.bestValue, bestValue)
                XCTAssertEqual(found.second, second, "k \(k) round \(round)")
            }
        }
    }

    func testLaneDistancesMatchPlainSums() {
        var rng = SeededGenerator(seed: 21)
        for n in [0, 1, 7, 8, 15, 16, 17, 33, 128, 131] {
            let a = (0..<n).map { _ in rng.nextGaussian() }, b = (0..<n).map { _ in rng.nextGaussian() }
            var distance = 0.0, norm = 0.0
            for t in 0..<n { distance += Double(a[t] - b[t]) * Double(a[t] - b[t]); norm += Double(a[t]) * Double(a[t]) }
            var sum = b
            a.withUnsafeBufferPointer { pa in
                b.withUnsafeBufferPointer { pb in
                    let base = pa.baseAddress ?? UnsafePointer(bitPattern: 16)!, other = pb.baseAddress ?? UnsafePointer(bitPattern: 16)!
                    XCTAssertEqual(Double(HamerlyBounds.squaredDistance(base, other, n)), distance, accuracy: 1e-5 * max(1, distance))
                    XCTAssertEqual(Double(HamerlyBounds.squaredNorm(base, n)), norm, accuracy: 1e-5 * max(1, norm))
                    sum.withUnsafeMutableBufferPointer { ps in
                        if let s = ps.baseAddress { HamerlyBounds.add(base, into: s, n) }
                    }
                }
            }
            XCTAssertEqual(sum, (0..<n).map { a[$0] + b[$0] })
        }
    }

    func testEmptyClusterIsReseededFromTheFarthestPoint() {
        // Points 0, 1, 2, 10 on a line; centroid 1 starts far away and gets no points in the first pass.
        let x = DenseMatrix(rows: 4, columns: 1, values: [0, 1, 2, 10])
        let km = KMeans(k: 2, nInit: 1, tolerance: 0)
        let result = km.lloyd(x, initial: DenseMatrix(rows: 2, columns: 1, values: [3, 100]), tolerance: 0)
        XCTAssertEqual(result.assignments, [0, 0, 0, 1])
        XCTAssertEqual(result.centroids.values, [1, 10])
        XCTAssertEqual(result.inertia, 2, accuracy: 1e-6)
        XCTAssertEqual(result.inertiaHistory.first!, 9 + 4 + 1 + 49, accuracy: 1e-4)
    }

    func testIdenticalPointsGiveFiniteResults() throws {
        let x = DenseMatrix(rows: 10, columns: 3, values: [Float](repeating: 0.5, count: 30))
        let result = try KMeans(k: 3, seed: 1).fit(x)
        XCTAssertEqual(result.inertia, 0)
        XCTAssertFalse(result.centroids.values.contains { !$0.isFinite })
        XCTAssertEqual(result.assignments.count, 10)
    }

    func testKMeansBadInputs() {
        let x = randomMatrix(rows: 5, columns: 2, seed: 7)
        XCTAssertThrowsError(try KMeans(k: 6).fit(x)) { XCTAssertEqual($0 as? ClusterError, .moreClustersThanPapers(k: 6, papers: 5)) }
        XCTAssertThrowsError(try KMeans(k: 0).fit(x)) { XCTAssertEqual($0 as? ClusterError, .tooFewClusters(k: 0, minimum: 1)) }
        XCTAssertThrowsError(try KMeans(k: 2).fit(DenseMatrix(rows: 0, columns: 2))) { XCTAssertEqual($0 as? ClusterError, .emptyCorpus) }
        XCTAssertThrowsError(try KMeans(k: 2, nInit: 0).fit(x))
        XCTAssertThrowsError(try KMeans(k: 2, tolerance: -1).fit(x))
        XCTAssertThrowsError(try KMeans(k: 2, algorithm: .miniBatch(batchSize: 0)).fit(x))
        var bad = x
        bad[3, 1] = .nan
        XCTAssertThrowsError(try KMeans(k: 2).fit(bad)) { XCTAssertEqual($0 as? ClusterError, .nonFiniteInput(row: 3)) }
        XCTAssertThrowsError(try KMeansResult(centroids: x, assignments: [], distances: [], inertia: 0, iterations: 0)
            .predict(DenseMatrix(rows: 1, columns: 3)))
    }

    func testAgreementScoresMatchKnownValues() throws {
        // scikit-learn's documented examples.
        XCTAssertEqual(try ClusterAgreement.ari([0, 0, 1, 1], [0, 0, 1, 1]), 1)
        XCTAssertEqual(try ClusterAgreement.ari([0, 0, 1, 1], [1, 1, 0, 0]), 1)
        XCTAssertEqual(try ClusterAgreement.ari([0, 0, 1, 2], [0, 0, 1, 1]), 4.0 / 7.0, accuracy: 1e-12)
        XCTAssertEqual(try ClusterAgreement.nmi([0, 0, 1, 1], [1, 1, 0, 0]), 1, accuracy: 1e-12)
        XCTAssertEqual(try ClusterAgreement.nmi([0, 0, 0, 0], [0, 1, 2, 3]), 0)
        // By hand: a = [0,0,1,1], b = [0,0,0,1]. H(a) = ln 2, H(b) = ¾ln(4/3) + ¼ln 4,
        // MI = ½ln(4/3) + ¼ln(2/3) + ¼ln 2; pairs: Σ C(nij,2) = 1 = expected (2·3/6), so ARI = 0.
        let ha = log(2.0), hb = 0.75 * log(4.0 / 3.0) + 0.25 * log(4.0)
        let mi = 0.5 * log(4.0 / 3.0) + 0.25 * log(2.0 / 3.0) + 0.25 * log(2.0)
        XCTAssertEqual(try ClusterAgreement.nmi([0, 0, 1, 1], [0, 0, 0, 1]), mi / ((ha + hb) / 2), accuracy: 1e-12)
        XCTAssertEqual(try ClusterAgreement.nmi([0, 0, 1, 1], [0, 0, 0, 1]), 0.343712, accuracy: 1e-6)
        XCTAssertEqual(try ClusterAgreement.ari([0, 0, 1, 1], [0, 0, 0, 1]), 0, accuracy: 1e-12)
        // Label values do not matter, only the partition.
        XCTAssertEqual(try ClusterAgreement.ari([7, 7, -1, 3], [0, 0, 5, 5]), 4.0 / 7.0, accuracy: 1e-12)
        XCTAssertThrowsError(try ClusterAgreement.nmi([0, 1], [0]))
    }

    func testSilhouetteOnHandExample() throws {
        // Points 0, 1 | 4, 5 on a line: s = 3.5/4.5, 2.5/3.5, 2.5/3.5, 3.5/4.5.
        let x = DenseMatrix(rows: 4, columns: 1, values: [0, 1, 4, 5])
        let want = (2 * 3.5 / 4.5 + 2 * 2.5 / 3.5) / 4
        XCTAssertEqual(Double(try Silhouette.score(x, assignments: [0, 0, 1, 1], sampleSize: 100)), want, accuracy: 1e-6)
        // Cosine: (1,0),(1,0.1) | (0,1): a singleton scores 0.
        let y = DenseMatrix(rows: 3, columns: 2, values: [1, 0, 2, 0, 0, 1])
        XCTAssertEqual(try Silhouette.score(y, assignments: [0, 0, 1], sampleSize: 10, metric: .cosine), 2.0 / 3.0, accuracy: 1e-6)
        XCTAssertEqual(try Silhouette.score(x, assignments: [0, 0, 0, 0], sampleSize: 10), 0)
        XCTAssertThrowsError(try Silhouette.score(x, assignments: [0, 1], sampleSize: 10))
    }

    func testKeywordsFollowClassBasedTfidf() throws {
        // Cluster 0: papers (a=2,b=1) and (a=1); cluster 1: (b=1,c=3). Totals per cluster 4 and 4, A = 4,
        // f = (3, 2, 3): score(a,0) = ¾·ln(1 + 4/3), score(b,0) = ¼·ln 3.
        let x = SparseMatrix(dense: [2, 1, 0, 1, 0, 0, 0, 1, 3], rows: 3, columns: 3)
        let top = try ClusterKeywords.topTerms(tfidf: x, assignments: [0, 0, 1], k: 2, vocabulary: ["a", "b", "c"], count: 5)
        XCTAssertEqual(top[0].map(\.term), ["a", "b"])
        XCTAssertEqual(top[1].map(\.term), ["c", "b"])
        XCTAssertEqual(Double(top[0][0].score), 0.75 * log(1 + 4.0 / 3.0), accuracy: 1e-6)
        XCTAssertEqual(Double(top[0][1].score), 0.25 * log(3.0), accuracy: 1e-6)
        XCTAssertEqual(top[1][0].score, top[0][0].score)
        XCTAssertThrowsError(try ClusterKeywords.topTerms(tfidf: x, assignments: [0, 0], k: 2, vocabulary: ["a", "b", "c"]))
        XCTAssertThrowsError(try ClusterKeywords.topTerms(tfidf: x, assignments: [0, 0, 2], k: 2, vocabulary: ["a", "b", "c"]))
        XCTAssertEqual(ClusterKeywords.centralPapers(assignments: [1, 0, 1, 1], distances: [0.5, 0.1, 0.2, 0.5], k: 2, count: 2),
                       [[1], [2, 0]])
    }

    func testTopKeywordsAreTheHeadOfTheFullRanking() throws {
        // Values from a small set so scores tie often; every prefix length must match a full sort's head.
        var g = SeededGenerator(seed: 31)
        let rows = 60, columns = 40, k = 3
        let dense = (0..<(rows * columns)).map { _ in g.nextUnitFloat() < 0.3 ? Float(1 + g.next() % 3) : 0 }
        let x = SparseMatrix(dense: dense, rows: rows, columns: columns)
        let assignments = (0..<rows).map { Int32($0 % k) }
        let vocabulary = (0..<columns).map { "t\($0)" }
        let all = try ClusterKeywords.topTerms(tfidf: x, assignments: assignments, k: k, vocabulary: vocabulary, count: columns)
        for count in [0, 1, 4, 7] {
            let top = try ClusterKeywords.topTerms(tfidf: x, assignments: assignments, k: k, vocabulary: vocabulary, count: count)
            for c in 0..<k {
                XCTAssertEqual(top[c].map(\.term), Array(all[c].prefix(count)).map(\.term))
                XCTAssertEqual(top[c].map(\.score), Array(all[c].prefix(count)).map(\.score))
            }
        }
        for c in 0..<k {
            // The full list is sorted by score, ties by term index.
            for (a, b) in zip(all[c], all[c].dropFirst()) {
                XCTAssertTrue(a.score > b.score || (a.score == b.score && Int(a.term.dropFirst())! < Int(b.term.dropFirst())!))
            }
        }
    }

    func testAutoKPicksTheTrueNumberOfClusters() throws {
        let (x, _) = blobs(k: 4, perCluster: 50, dims: 5, seed: 8)
        let (selection, result) = try KMeans.autoK(x, range: 2...7, nInit: 2, seed: 1, sampleSize: 150)
        XCTAssertEqual(selection.bestK, 4)
        XCTAssertEqual(result.k, 4)
        XCTAssertEqual(selection.candidates.map(\.k), Array(2...7))
        for (a, b) in zip(selection.candidates, selection.candidates.dropFirst()) { XCTAssertGreaterThanOrEqual(a.inertia, b.inertia) }
        XCTAssertThrowsError(try KMeans.autoK(x, range: 1...3))
    }

    /// Three topics with disjoint vocabularies plus shared noise terms: TF-IDF-like L2 rows.
    private func topicCorpus(perTopic: Int, seed: UInt64) -> (SparseMatrix, [String], [Int]) {
        var rng = SeededGenerator(seed: seed)
        let topicTerms = 12, shared = 6, topics = 3
        let columns = topics * topicTerms + shared
        var dense = [Float](), truth = [Int]()
        for i in 0..<(topics * perTopic) {
            let t = i % topics
            var row = [Float](repeating: 0, count: columns)
            for _ in 0..<6 { row[t * topicTerms + KMeansSeeding.uniformIndex(topicTerms, &rng)] += 1 }
            row[topics * topicTerms + KMeansSeeding.uniformIndex(shared, &rng)] += 1
            let norm = row.reduce(0) { $0 + $1 * $1 }.squareRoot()
            dense += row.map { $0 / norm }
            truth.append(t)
        }
        let vocabulary = (0..<columns).map { $0 < topics * topicTerms ? "t\($0 / topicTerms)_\($0 % topicTerms)" : "shared\($0)" }
        return (SparseMatrix(dense: dense, rows: topics * perTopic, columns: columns), vocabulary, truth)
    }

    func testPipelineFindsTopicsAndDescribesThem() throws {
        let (x, vocabulary, truth) = topicCorpus(perTopic: 60, seed: 3)
        let result = try TopicClustering(k: 3, dims: 8, nInit: 2, seed: 1).fit(tfidf: x, vocabulary: vocabulary)
        XCTAssertEqual(try ClusterAgreement.ari(result.kmeans.assignments.map(Int.init), truth), 1)
        XCTAssertEqual(result.lsa.dimensions, 8)
        for cluster in result.clusters {
            XCTAssertEqual(cluster.size, 60)
            let topic = truth[cluster.centralPapers[0]]
            XCTAssertTrue(cluster.keywords[0].term.hasPrefix("t\(topic)_"), "\(cluster.keywords)")
            XCTAssertFalse(cluster.keywords.contains { $0.term.hasPrefix("shared") && $0.score > cluster.keywords[0].score })
        }
        for r in 0..<result.embedding.rows {
            XCTAssertEqual(result.embedding.row(r).reduce(0) { $0 + $1 * $1 }, 1, accuracy: 1e-4)
        }
        let (again, _) = try result.assign(tfidf: x)
        XCTAssertEqual(again, result.kmeans.assignments)
        let auto = try TopicClustering(autoK: 2...5, dims: 8, nInit: 2, seed: 1).fit(tfidf: x, vocabulary: vocabulary)
        XCTAssertEqual(auto.selection?.bestK, 3)
    }

    func testPipelineIsIdenticalForOneAndTwoThreads() throws {
        let (x, vocabulary, _) = topicCorpus(perTopic: 700, seed: 5)
        setenv("TOPICKIT_THREADS", "1", 1)
        let one = try TopicClustering(k: 4, dims: 6, nInit: 2, seed: 2).fit(tfidf: x, vocabulary: vocabulary)
        setenv("TOPICKIT_THREADS", "2", 1)
        let two = try TopicClustering(k: 4, dims: 6, nInit: 2, seed: 2).fit(tfidf: x, vocabulary: vocabulary)
        unsetenv("TOPICKIT_THREADS")
        XCTAssertEqual(one.lsa, two.lsa)
        XCTAssertEqual(one.embedding, two.embedding)
        XCTAssertEqual(one.kmeans, two.kmeans)
        XCTAssertEqual(one.clusters, two.clusters)
    }

    func testPipelineWithoutBasisFindsTheSameClustersAndGivesTheMatrixBack() throws {
        let (x, vocabulary, _) = topicCorpus(perTopic: 50, seed: 6)
        let kept = try TopicClustering(k: 3, dims: 5, nInit: 2, seed: 3).fit(tfidf: x, vocabulary: vocabulary)
        var pipeline = TopicClustering(k: 3, dims: 5, nInit: 2, seed: 3)
        pipeline.keepsBasis = false
        var lent = x
        let dropped = try pipeline.fit(lending: &lent, vocabulary: vocabulary)
        XCTAssertEqual(lent, x)
        XCTAssertEqual(kept.lsa.vocabularySize, x.columns)
        XCTAssertEqual(dropped.lsa.vocabularySize, 0)
        XCTAssertEqual(dropped.lsa.dimensions, 5)
        XCTAssertEqual(dropped.lsa.singularValues, kept.lsa.singularValues)
        XCTAssertEqual(dropped.embedding, kept.embedding)
        XCTAssertEqual(dropped.kmeans, kept.kmeans)
        XCTAssertEqual(dropped.clusters, kept.clusters)
        XCTAssertThrowsError(try dropped.assign(tfidf: x)) {
            XCTAssertEqual($0 as? ClusterError, .invalidParameter(ClusteringResult.basisNotKeptMessage))
        }
    }

    func testPipelineBadInputs() throws {
        let (x, vocabulary, _) = topicCorpus(perTopic: 2, seed: 4)
        XCTAssertThrowsError(try TopicClustering(k: 1).fit(tfidf: x, vocabulary: vocabulary)) {
            XCTAssertEqual($0 as? ClusterError, .tooFewClusters(k: 1, minimum: 2))
        }
        XCTAssertThrowsError(try TopicClustering(k: 7).fit(tfidf: x, vocabulary: vocabulary)) {
            XCTAssertEqual($0 as? ClusterError, .moreClustersThanPapers(k: 7, papers: 6))
        }
        XCTAssertThrowsError(try TopicClustering(k: 2).fit(tfidf: SparseMatrix(dense: [], rows: 0, columns: 3),
                                                           vocabulary: ["a", "b", "c"])) {
            XCTAssertEqual($0 as? ClusterError, .emptyCorpus)
        }
        XCTAssertThrowsError(try TopicClustering(k: 2).fit(tfidf: x, vocabulary: ["a"]))
        XCTAssertThrowsError(try TopicClustering(k: 2, dims: 0).fit(tfidf: x, vocabulary: vocabulary))
        // dims beyond the rank: clamped to min(papers, vocabulary) = 6, finite output.
        let clamped = try TopicClustering(k: 2, dims: 128).fit(tfidf: x, vocabulary: vocabulary)
        XCTAssertEqual(clamped.lsa.dimensions, 6)
        XCTAssertFalse(clamped.embedding.values.contains { !$0.isFinite })
        // All-identical papers, and an empty paper: well-defined, no NaN.
        let same = SparseMatrix(dense: [0.6, 0.8, 0, 0.6, 0.8, 0, 0.6, 0.8, 0, 0, 0, 0], rows: 4, columns: 3)
        let degenerate = try TopicClustering(k: 2, dims: 2).fit(tfidf: same, vocabulary: ["a", "b", "c"])
        XCTAssertFalse(degenerate.embedding.values.contains { !$0.isFinite })
        XCTAssertFalse(degenerate.kmeans.centroids.values.contains { !$0.isFinite })
        XCTAssertEqual(degenerate.kmeans.assignments.count, 4)
    }
}
