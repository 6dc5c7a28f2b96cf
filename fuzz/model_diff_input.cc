#include "fuzz/model_diff_input.h"

#include <fuzzer/FuzzedDataProvider.h>

#include <vector>

namespace tcpref::fuzz {

namespace {

using namespace refinement;

template <class E>
E consume_enum(FuzzedDataProvider& in) {
  return static_cast<E>(in.ConsumeIntegralInRange<uint8_t>(
      0, static_cast<uint8_t>(E::kCount) - 1));
}

SegmentSpec decode_segment(FuzzedDataProvider& in) {
  SegmentSpec s;
  const uint8_t flags = in.ConsumeIntegral<uint8_t>();
  s.syn = flags & 1;
  s.ack = flags & 2;
  s.rst = flags & 4;
  s.fin = flags & 8;
  s.seq.base = consume_enum<SeqBase>(in);
  if (s.seq.base == SeqBase::kArbitrary) {
    s.seq.value = in.ConsumeIntegral<uint32_t>();
  } else {
    s.seq.offset = in.ConsumeIntegral<int16_t>();
  }
  s.ack_number.base = consume_enum<AckBase>(in);
  if (s.ack_number.base == AckBase::kArbitrary) {
    s.ack_number.value = in.ConsumeIntegral<uint32_t>();
  } else {
    s.ack_number.offset = in.ConsumeIntegral<int16_t>();
  }
  s.len = in.ConsumeIntegralInRange<uint16_t>(0, kMaxModelDiffPayload);
  s.window = in.ConsumeIntegral<uint16_t>();
  const uint8_t opts = in.ConsumeIntegral<uint8_t>();
  if (opts & 1) s.mss = in.ConsumeIntegral<uint16_t>();
  if (opts & 2) s.window_scale = in.ConsumeIntegralInRange<uint8_t>(0, 15);
  s.sack_permitted = opts & 4;
  s.ts = consume_enum<TsClass>(in);
  if (s.ts == TsClass::kNewer) {
    s.ts_value = in.ConsumeIntegralInRange<uint32_t>(1, 0x7fffffff);
  } else if (s.ts == TsClass::kArbitrary) {
    s.ts_value = in.ConsumeIntegral<uint32_t>();
  }
  return s;
}

}  // namespace

ModelDiffInput decode_model_diff_input(std::span<const uint8_t> data) {
  static const std::vector<RefinementConfig> configs = standard_configs();
  FuzzedDataProvider in(data.data(), data.size());
  ModelDiffInput out;
  out.config =
      &configs[in.ConsumeIntegralInRange<size_t>(0, configs.size() - 1)];
  out.scenario.client_isn = in.ConsumeIntegral<uint32_t>();
  while (in.remaining_bytes() > 0 &&
         out.scenario.steps.size() < kMaxModelDiffSteps) {
    Step step;
    step.kind = consume_enum<StepKind>(in);
    if (step.kind == StepKind::kSegment) step.segment = decode_segment(in);
    if (step.kind == StepKind::kAdvance) {
      step.advance = consume_enum<AdvanceTo>(in);
    }
    out.scenario.steps.push_back(step);
  }
  return out;
}

}  // namespace tcpref::fuzz
