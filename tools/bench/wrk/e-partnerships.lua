-- Standard query (e-partnerships): see tools/bench/queries/e-partnerships.graphql and docs/benchmarks.md.
package.path = "tools/bench/wrk/?.lua;" .. package.path
require("bench").install("tools/bench/queries/e-partnerships.graphql")
