// Runs one Scenario through a fresh impl Stack and the model side by side,
// one step at a time, and stops at the first step after which the impl's
// abstracted state or outputs differ from the model's `step`.
//
// The driver also plays the environment the model leaves open: it resolves
// each step's number classes against the model state, feeds the model the
// impl's ISS and timestamp clock, and turns clock advances into the model's
// timer inputs using its own shadow of the timers (RFC 6298 backoff for
// SYN-ACKs, 2·MSL for TIME-WAIT, 64 s cookie epochs).
//
// No gtest or RapidCheck here: //fuzz uses it from a libFuzzer target.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "impl/tcp/stack.h"
#include "model/transitions.h"
#include "model/types.h"
#include "refinement/scenario.h"

namespace tcpref::refinement {

// The listener and stack switches a property run is made under. Each maps to
// both the model's Params and the impl's StackConfig/ListenOptions.
struct RefinementConfig {
  std::string name;
  model::CookieMode cookies = model::CookieMode::kWhenFull;
  bool abort_on_overflow = false;  // OverflowPolicy::kReset
  bool timestamps = true;
  bool rfc1337 = true;
  uint32_t backlog = 1;
  uint32_t syn_queue_limit = 3;  // small, so SYN-queue overflow is reachable
  uint8_t synack_retries = 2;    // small, so expiry is reachable
  // Our window shift. The standard configurations use 0: the model's
  // RCV.WND never grows past the SYN-ACK's 65535, impl's does once scaling
  // is negotiated (driver_test: D20).
  uint8_t window_shift = 0;
};

// cookies off/auto/always × both overflow policies × timestamps on/off ×
// RFC 1337 on/off × backlog 0, 1 and large, in 12 configurations that
// together cover every value of every switch.
[[nodiscard]] std::vector<RefinementConfig> standard_configs();

struct DriverOptions {
  // Steps that hit a divergence already reported (known_divergences.h) are
  // skipped, not run, and counted, so the rest of the sequence still runs.
  bool skip_known_divergences = true;
  // Called once on the fresh Stack before the run (planted bugs).
  std::function<void(tcp::Stack&)> prepare_stack;
};

// A packet into or out of the impl Stack, at the driver's clock.
struct WirePacket {
  tcp::Time time{0};
  std::vector<uint8_t> ip;  // the IPv4 datagram
};

struct RunResult {
  bool diverged = false;
  size_t failing_step = 0;  // 1-based index into Scenario::steps
  std::string divergence;   // what differed, state and outputs
  std::string trace;        // every step so far, both sides, readable
  // Model transitions taken, in order (several per clock advance).
  std::vector<model::Transition> transitions;
  // Steps skipped, per known divergence (index = KnownDivergence id).
  std::vector<uint32_t> skipped;
  // Every packet into and out of the impl Stack, in order: the run as a
  // capture (traces/replay's write_pcap, then tcpref-explain; EXPLAIN.md).
  std::vector<WirePacket> wire;
};

[[nodiscard]] RunResult run(const RefinementConfig& config,
                            const Scenario& scenario,
                            const DriverOptions& options = {});

}  // namespace tcpref::refinement
