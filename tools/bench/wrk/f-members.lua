-- Standard query (f-members): see tools/bench/queries/f-members.graphql and docs/benchmarks.md.
package.path = "tools/bench/wrk/?.lua;" .. package.path
require("bench").install("tools/bench/queries/f-members.graphql")
