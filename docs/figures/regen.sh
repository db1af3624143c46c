#!/bin/sh
# Regenerates every figure of docs/design-reviews.md (and the CSVs behind
# the sweep figures) with `go run ./cmd/sim`, from any directory. The same
# commands write the same bytes, so `git status` after a run shows only
# figures whose model or drawing code changed. `go test ./cmd/sim -run
# TestFigures` runs the same `sim` lines (it reads this file: one command a
# line, single quotes only) and fails when a figure here is stale.
set -eu
# The design reviews were answered with one auth round trip per attempt
# (--attempt auth, the model before issue 20 item 1), so every command
# here names it; docs/design-reviews.md says so.
cd "$(dirname "$0")/../.."
sim() { go run ./cmd/sim "$@"; }
F=docs/figures

# 1. What share of first logins succeed within the time limit?
sim sweep --attempt auth --quiet --out $F/sweep.csv --plot $F/sweep.png --cdf $F/ttc_cdf.png --cdf-loss 0,0.1,0.3,0.5 >/dev/null
sim sweep --attempt auth --quiet --loss 0,0.1,0.3,0.5 --time-limit 0 --out $F/ttc_nolimit.csv --cdf $F/ttc_cdf_nolimit.png >/dev/null

# 2. What does the app see while the network is gone for 2 minutes?
sim trace --attempt auth --net-off 2s:122s --time-limit 0 --until 200s --plot $F/outage.png >/dev/null
sim trace --attempt auth --net-off 0s:120s --time-limit 5s --until 200s --plot $F/outage_login_5s.png >/dev/null

# 3. Why does the reconnection-kick policy matter for two devices?
sim trace --attempt auth --scenario docs/scenarios/kick-flap.yaml --kick-policy default --plot $F/kick_default.png >/dev/null
sim trace --attempt auth --scenario docs/scenarios/kick-flap.yaml --kick-policy reconnect-kicked --plot $F/kick_reconnect_kicked.png >/dev/null

# 4. What if we retried with another reconnection policy?
sim sweep --attempt auth --quiet --loss 0.5 --time-limit 0 --policy rc,web,expo:1s,2,60s/full,expo:1s,2,60s/decorrelated,grpc --out $F/policies.csv --cdf $F/policies_cdf.png >/dev/null

# The status machine.
sim fsm --format png --out $F/fsm.png

# Burst loss against Bernoulli loss at equal average loss, messages against
# TCP packets (docs/networks.md).
sim sweep --attempt auth --quiet --loss 0:0.7:0.1 --time-limit 10s --transport message,tcp --loss-model 'bernoulli;burst:3' --trials 10000 --out $F/networks.csv --plot $F/networks.png >/dev/null

# A deviation of the web SDK drawn (docs/conformance.md): the engine's trace.
sim plot --profile web conformance/web/golden/disconnect-reconnecting.jsonl --out $F/conformance-disconnect-reconnecting.png >/dev/null

# The TCP transport against gVisor's TCP (docs/tcp-validation.md).
go run ./cmd/tcpcheck --out $F/tcp_validation.png >/dev/null

# 5. Which policy survives a server restart with a million clients? Three
# storms of a million clients: several minutes of CPU, so only on request.
# 6. What does a two-minute outage cost in message latency and pushes? Two
# storms of a million clients with messages, on request too.
if [ "${STORM:-}" = 1 ]; then
  sim storm --attempt auth --clients 1000000 --policy rc,rc/full,grpc --plot $F >/dev/null
  sim storm --attempt auth --clients 1000000 --msg-rate 0.01 --policy rc,rc/full --plot $F/storm_msgs >/dev/null
fi
