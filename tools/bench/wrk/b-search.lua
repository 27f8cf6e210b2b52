-- Standard query (b-search): see tools/bench/queries/b-search.graphql and docs/benchmarks.md.
package.path = "tools/bench/wrk/?.lua;" .. package.path
require("bench").install("tools/bench/queries/b-search.graphql")
