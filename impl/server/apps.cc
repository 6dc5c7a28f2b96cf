#include "impl/server/apps.h"

#include <array>
#include <vector>

#include "impl/server/http.h"

namespace tcpref::server {
namespace {

constexpr size_t kChunk = size_t{16} * 1024;

// Bytes waiting for room in the send buffer.
class Outbox {
 public:
  void set(std::span<const uint8_t> data) {
    bytes_.assign(data.begin(), data.end());
    sent_ = 0;
  }
  bool empty() const { return sent_ == bytes_.size(); }
  // False when the stream failed.
  bool flush(ByteStream& stream) {
    while (!empty()) {
      size_t taken = 0;
      if (!stream.write(std::span(bytes_).subspan(sent_), taken)) return false;
      if (taken == 0) return true;
      sent_ += taken;
    }
    return true;
  }

 private:
  std::vector<uint8_t> bytes_;
  size_t sent_ = 0;
};

AppState finish(ByteStream& stream) {
  stream.close();
  return AppState::kDone;
}

// Everything received goes back; at EOF, close once it has all gone.
class Echo : public App {
 public:
  AppState service(ByteStream& stream) override {
    for (;;) {
      while (begin_ < end_) {  // wait for room before reading more
        size_t taken = 0;
        if (!stream.write(std::span(buffer_).subspan(begin_, end_ - begin_),
                          taken)) {
          return finish(stream);
        }
        if (taken == 0) return AppState::kRunning;
        begin_ += taken;
      }
      if (eof_) return finish(stream);
      const ReadResult r = stream.read(buffer_);
      switch (r.status) {
        case ReadStatus::kData:
          begin_ = 0;
          end_ = r.bytes;
          break;
        case ReadStatus::kWouldBlock:
          return AppState::kRunning;
        case ReadStatus::kEof:
          eof_ = true;
          break;
        case ReadStatus::kError:
          return finish(stream);
      }
    }
  }

 private:
  std::array<uint8_t, kChunk> buffer_;
  size_t begin_ = 0, end_ = 0;  // received, not yet sent back
  bool eof_ = false;
};

class Discard : public App {
 public:
  AppState service(ByteStream& stream) override {
    for (;;) {
      const ReadResult r = stream.read(buffer_);
      if (r.status == ReadStatus::kWouldBlock) return AppState::kRunning;
      if (r.status != ReadStatus::kData) return finish(stream);
    }
  }

 private:
  std::array<uint8_t, kChunk> buffer_;
};

// Reads once, echoes that, then closes first: the server's side then goes
// through FIN-WAIT to TIME-WAIT (RFC 9293 §3.6, active close).
class CloseFirst : public App {
 public:
  AppState service(ByteStream& stream) override {
    if (!got_) {
      const ReadResult r = stream.read(buffer_);
      if (r.status == ReadStatus::kWouldBlock) return AppState::kRunning;
      if (r.status != ReadStatus::kData) return finish(stream);
      out_.set(std::span(buffer_).first(r.bytes));
      got_ = true;
    }
    if (!out_.flush(stream)) return finish(stream);
    return out_.empty() ? finish(stream) : AppState::kRunning;
  }

 private:
  std::array<uint8_t, 2048> buffer_;
  Outbox out_;
  bool got_ = false;
};

// A byte source for download benchmarks: fills the send buffer whenever it
// has room and drops what arrives; ends when the peer closes or resets.
class Source : public App {
 public:
  Source() { pattern_.fill('s'); }
  AppState service(ByteStream& stream) override {
    for (;;) {
      const ReadResult r = stream.read(sink_);
      if (r.status == ReadStatus::kWouldBlock) break;
      if (r.status != ReadStatus::kData) return finish(stream);
    }
    for (;;) {
      size_t taken = 0;
      if (!stream.write(pattern_, taken)) return finish(stream);
      if (taken == 0) return AppState::kRunning;
    }
  }

 private:
  std::array<uint8_t, kChunk> pattern_;
  std::array<uint8_t, 2048> sink_;
};

class Http : public App {
 public:
  explicit Http(const MetricsSource& metrics) : metrics_(metrics) {}

  AppState service(ByteStream& stream) override {
    if (!answered_) {
      for (;;) {
        const ReadResult r = stream.read(buffer_);
        if (r.status == ReadStatus::kWouldBlock) return AppState::kRunning;
        if (r.status != ReadStatus::kData) return finish(stream);
        request_.append(reinterpret_cast<const char*>(buffer_.data()), r.bytes);
        if (const auto head = http_head_length(request_)) {
          answer(http_response(std::string_view(request_).substr(0, *head),
                               metrics_));
          break;
        }
        if (request_.size() > kMaxHttpRequest) {
          answer(http_too_large());
          break;
        }
      }
    }
    if (!out_.flush(stream)) return finish(stream);
    if (!out_.empty()) return AppState::kRunning;
    // Read what is left (a body we ignore) so closing does not reset.
    for (;;) {
      const ReadResult r = stream.read(buffer_);
      if (r.status != ReadStatus::kData) break;
    }
    return finish(stream);
  }

 private:
  void answer(const std::string& response) {
    out_.set(std::span(reinterpret_cast<const uint8_t*>(response.data()),
                       response.size()));
    answered_ = true;
  }

  const MetricsSource& metrics_;
  std::array<uint8_t, 4096> buffer_;
  std::string request_;
  Outbox out_;
  bool answered_ = false;
};

}  // namespace

std::unique_ptr<App> make_app(Mode mode, const MetricsSource& metrics) {
  switch (mode) {
    case Mode::kEcho:
      return std::make_unique<Echo>();
    case Mode::kDiscard:
      return std::make_unique<Discard>();
    case Mode::kClose:
      return std::make_unique<CloseFirst>();
    case Mode::kHttp:
      return std::make_unique<Http>(metrics);
    case Mode::kSource:
      return std::make_unique<Source>();
    case Mode::kHold:
      return nullptr;
  }
  return nullptr;
}

}  // namespace tcpref::server
