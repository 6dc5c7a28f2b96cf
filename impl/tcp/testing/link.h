// An in-memory link between two Stacks, driven by virtual time, with a
// seeded impairment schedule per direction (loss, duplication, reordering,
// delay). Each Stack's PacketSink puts packets on the link; run_until()
// steps time from event to event — the next delivery or either stack's
// next timer — so a whole conversation, timeouts included, runs in
// microseconds of real time and replays exactly from its seed.
//
//   Link link(config_a, config_b, {.b_to_a = {.loss_ppm = 100'000}});
//   ... link.a().connect(...), link.b().listen(...) ...
//   ASSERT_TRUE(link.run_until([&] { return done(); }, link.now() + 60s));
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "impl/tcp/stack.h"

namespace tcpref::tcp::testing {

enum class Side : uint8_t { kA = 0, kB = 1 };

// One direction's impairments. Probabilities are in parts per million.
struct LinkImpairments {
  uint32_t loss_ppm = 0;
  uint32_t duplicate_ppm = 0;  // a second copy, with its own jitter
  uint32_t reorder_ppm = 0;    // held back up to reorder_window extra
  std::chrono::microseconds delay = std::chrono::milliseconds(1);
  std::chrono::microseconds reorder_window = std::chrono::milliseconds(5);
};

struct LinkConfig {
  LinkImpairments a_to_b;
  LinkImpairments b_to_a;
  uint64_t seed = 1;
  Time start = std::chrono::seconds(1000);
  uint32_t max_in_flight = 4096;   // packets on the wire; beyond: tail drop
  uint64_t max_steps = 1'000'000;  // run_until gives up after this many
};

// When copies of a packet arrive: decided per packet, from the seed alone.
struct PacketFate {
  uint8_t copies = 0;  // 0 = lost
  std::array<Time, 2> arrive{};
  bool reordered = false;
};

class ImpairmentSchedule {
 public:
  ImpairmentSchedule(const LinkImpairments& impairments, uint64_t seed);
  [[nodiscard]] PacketFate next(Time sent);

 private:
  uint64_t draw();
  bool roll(uint32_t ppm) { return draw() % 1'000'000 < ppm; }
  Time jitter();  // uniform in [1 µs, reorder_window]

  LinkImpairments impairments_;
  uint64_t state_;
};

struct LinkStats {
  uint64_t sent = 0;       // packets put on the link in this direction
  uint64_t delivered = 0;  // copies handed to the receiving stack
  uint64_t lost = 0;
  uint64_t duplicated = 0;
  uint64_t reordered = 0;
  uint64_t overflow = 0;  // dropped because max_in_flight was reached
};

class Link {
 public:
  Link(const StackConfig& a, const StackConfig& b,
       const LinkConfig& config = {});
  Link(const Link&) = delete;
  Link& operator=(const Link&) = delete;

  Stack& a() { return *stacks_[0]; }
  Stack& b() { return *stacks_[1]; }
  Stack& stack(Side side) { return *stacks_[static_cast<int>(side)]; }
  Time now() const { return now_; }

  // Puts a raw IPv4 packet on the wire as if `from` had sent it; the
  // impairments of that direction apply.
  void send_from(Side from, std::span<const uint8_t> packet);

  // Steps from event to event until done() holds (returns true). When no
  // event is left at or before `limit`, time moves to `limit` and the
  // result is done() there; after max_steps steps it is false.
  bool run_until(const std::function<bool()>& done, Time limit);

  const LinkStats& stats(Side from) const {
    return stats_[static_cast<int>(from)];
  }
  [[nodiscard]] size_t in_flight() const { return wire_.size(); }

  // Sees every packet as it is delivered.
  using Tap =
      std::function<void(Side from, std::span<const uint8_t> packet, Time)>;
  void set_tap(Tap tap) { tap_ = std::move(tap); }

 private:
  struct InFlight {
    Time arrive;
    uint64_t order;  // ties deliver in sending order
    Side from;
    std::vector<uint8_t> packet;
  };
  class Sink : public PacketSink {
   public:
    Sink(Link& link, Side from) : link_(link), from_(from) {}
    void send(std::span<const uint8_t> packet) override {
      link_.send_from(from_, packet);
    }

   private:
    Link& link_;
    Side from_;
  };
  static bool later(const InFlight& x, const InFlight& y);
  void deliver_due();

  LinkConfig config_;
  Time now_;
  std::array<Sink, 2> sinks_;
  std::array<ImpairmentSchedule, 2> schedules_;
  std::array<std::unique_ptr<Stack>, 2> stacks_;
  std::array<LinkStats, 2> stats_{};
  std::vector<InFlight> wire_;  // a min-heap by (arrive, order)
  uint64_t order_ = 0;
  Tap tap_;
};

}  // namespace tcpref::tcp::testing
