// The application modes, one small state machine per connection over a
// ByteStream: echo, discard, close (read once, echo, close first) and http.
// `hold` has no app: the server never accepts.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "impl/server/byte_stream.h"
#include "impl/server/options.h"

namespace tcpref::server {

enum class AppState : uint8_t {
  kRunning,  // call service() again after the next packet or timer
  kDone,     // the app closed the stream (or it failed); forget it
};

class App {
 public:
  virtual ~App() = default;
  // Does all the work possible now without blocking.
  virtual AppState service(ByteStream& stream) = 0;
};

// Renders /metrics for the http mode; must outlive the apps made with it.
using MetricsSource = std::function<std::string()>;

// nullptr for Mode::kHold.
[[nodiscard]] std::unique_ptr<App> make_app(Mode mode,
                                            const MetricsSource& metrics);

}  // namespace tcpref::server
