package model

// Reasoning: the costliest study the defaults allow on one device is a
// device kept up for the longest horizon, 30 days (MaxHorizon), with 15 s
// heartbeats. Measured, that trial runs 686,626 events (about 4 per
// heartbeat: the ping timer, the ping's and the pong's arrivals, the pong
// timeout), while a trial of the defaults runs about 30. 1,000,000 events
// admits it with 45% to spare (or 1,000 devices, the scenario maximum,
// heartbeating for an hour). Memory is what the budget protects: a trial
// keeps its trace, 192 B a record, about 0.5 records per event without
// detail and 2.25 with `sim trace --detail`; at the budget that is about
// 100 MB and 430 MB of records (about 0.5 GB and 1 GB of RSS with the
// slice's growth and the collector's headroom), reached within seconds. A
// runaway trial (a 1 ms heartbeat over 30 days would run 10^10 events)
// stops there. Longer studies raise --max-events.
const DefaultMaxEvents = 1_000_000

// MaxMaxEvents bounds --max-events.
const MaxMaxEvents = 1_000_000_000
