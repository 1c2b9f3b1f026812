// Bidirectional stream machinery behind the public stream handles.
//
// Each stream owns two threads. The reader thread opens the call (opening
// can block while the channel connects, so it never runs on the caller's
// thread), starts the writer thread, delivers results, then joins the
// writer and finishes the call. The writer thread sends the config, then
// queued messages, and half-closes the call once Close() is called.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "internal.h"
#include "vrperception/client.h"

namespace vrperception {

// Type-independent part that the public handles talk to.
class StreamCore {
 public:
  virtual ~StreamCore() = default;
  virtual void Close(std::chrono::milliseconds grace) = 0;
  virtual bool active() const = 0;
  virtual size_t pending_messages() const = 0;
  virtual uint64_t client_dropped_frames() const = 0;
};

enum class QueueMode {
  // At most one message waits; a new one replaces it (camera frames).
  kLatestWins,
  // Messages wait in order up to a bound (audio).
  kFifo,
};

template <typename Request, typename Response>
class BidiStream : public StreamCore,
                   public std::enable_shared_from_this<BidiStream<Request, Response>> {
 public:
  using ReaderWriter = grpc::ClientReaderWriter<Request, Response>;
  using OpenCall = std::function<std::unique_ptr<ReaderWriter>(grpc::ClientContext*)>;

  BidiStream(std::string method, QueueMode mode, size_t max_queued,
             StreamCallbacks<Response> callbacks, LogFunction log)
      : method_(std::move(method) + " stream " + std::to_string(NextStreamNumber())),
        mode_(mode),
        max_queued_(max_queued),
        callbacks_(std::move(callbacks)),
        log_(std::move(log)) {}

  ~BidiStream() override {
    // The reader thread keeps the stream alive while it runs, so this
    // destructor either runs after it ended or on that thread itself.
    if (reader_.joinable()) {
      if (reader_.get_id() == std::this_thread::get_id()) {
        reader_.detach();
      } else {
        reader_.join();
      }
    }
  }

  // Starts the call. The first message written is `config`.
  void Start(OpenCall open, Request config, const CallOptions& call) {
    if (call.timeout.count() > 0) {
      context_.set_deadline(std::chrono::system_clock::now() + call.timeout);
    }
    context_.set_wait_for_ready(call.wait_for_ready);
    config_ = std::move(config);
    auto self = this->shared_from_this();
    reader_ = std::thread([self, open = std::move(open)]() mutable {
      self->RunReader(std::move(open));
    });
  }

  // Ends the stream before it starts: on_error(status) fires once on the
  // reader thread, as for a stream that failed later.
  void StartFailed(const Status& status) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      call_ended_ = true;
    }
    auto self = this->shared_from_this();
    reader_ = std::thread([self, status] {
      self->reader_id_.store(std::this_thread::get_id());
      self->Deliver(status);
      std::lock_guard<std::mutex> lock(self->mutex_);
      self->finished_ = true;
      self->finished_cv_.notify_all();
    });
  }

  // Queues a message. False when the stream has ended, is closing, or (FIFO)
  // the queue is full.
  bool Enqueue(Request message) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (call_ended_ || closing_) return false;
      if (mode_ == QueueMode::kLatestWins) {
        if (!queue_.empty()) {
          queue_.clear();
          dropped_.fetch_add(1, std::memory_order_relaxed);
        }
      } else if (queue_.size() >= max_queued_) {
        return false;
      }
      queue_.push_back(std::move(message));
    }
    writer_wakeup_.notify_one();
    return true;
  }

  void Close(std::chrono::milliseconds grace) override {
    const bool on_reader = std::this_thread::get_id() == reader_id_.load();
    {
      std::unique_lock<std::mutex> lock(mutex_);
      if (!closing_) {
        closing_ = true;
        writes_done_requested_ = true;
        writer_wakeup_.notify_all();
        if (!on_reader) {
          finished_cv_.wait_for(lock, grace, [this] { return finished_; });
        }
        if (!finished_) {
          cancelled_by_client_ = true;
          context_.TryCancel();
        }
      }
    }
    if (on_reader) return;  // the reader ends by itself after the callback
    std::lock_guard<std::mutex> join_lock(join_mutex_);
    if (reader_.joinable()) reader_.join();
  }

  bool active() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return !call_ended_ && !closing_;
  }

  size_t pending_messages() const override {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
  }

  uint64_t client_dropped_frames() const override {
    return dropped_.load(std::memory_order_relaxed);
  }

 private:
  void RunReader(OpenCall open) {
    reader_id_.store(std::this_thread::get_id());
    internal::Log(log_, LogLevel::kInfo, method_ + " starting");
    std::unique_ptr<ReaderWriter> stream = open(&context_);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stream_ = stream.get();
    }
    std::thread writer([this] { RunWriter(); });

    Response response;
    while (stream->Read(&response)) {
      if (is_closing()) continue;  // drain without delivering
      if (callbacks_.on_result) callbacks_.on_result(response);
    }
    {
      std::lock_guard<std::mutex> lock(mutex_);
      call_ended_ = true;
    }
    writer_wakeup_.notify_all();
    writer.join();
    const grpc::Status grpc_status = stream->Finish();
    Deliver(internal::FromGrpc(grpc_status, method_));

    std::lock_guard<std::mutex> lock(mutex_);
    stream_ = nullptr;
    finished_ = true;
    finished_cv_.notify_all();
  }

  void Deliver(const Status& status) {
    bool closing = false;
    bool cancelled_by_client = false;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      closing = closing_;
      cancelled_by_client = cancelled_by_client_;
    }
    if (closing) {
      const bool expected = status.ok() || (cancelled_by_client &&
                                            status.code() == StatusCode::kCancelled);
      internal::Log(log_, expected ? LogLevel::kInfo : LogLevel::kWarning,
                    method_ + " closed by the client: " + status.ToString());
      return;
    }
    if (status.ok()) {
      internal::Log(log_, LogLevel::kInfo, method_ + " completed by the server");
      if (callbacks_.on_completed) callbacks_.on_completed();
      return;
    }
    internal::Log(log_, LogLevel::kError, method_ + " failed: " + status.ToString());
    if (callbacks_.on_error) callbacks_.on_error(status);
  }

  void RunWriter() {
    ReaderWriter* stream = nullptr;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stream = stream_;
    }
    if (!stream->Write(*config_)) return;  // call ended; the reader reports why

    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      writer_wakeup_.wait(lock, [this] {
        return call_ended_ || !queue_.empty() || writes_done_requested_;
      });
      if (call_ended_) return;
      if (!queue_.empty()) {
        Request message = std::move(queue_.front());
        queue_.pop_front();
        lock.unlock();
        const bool written = stream->Write(message);
        lock.lock();
        if (!written) return;
        continue;
      }
      // Only writes_done_requested_ is left.
      lock.unlock();
      stream->WritesDone();
      return;
    }
  }

  // Process-wide numbers that tell streams apart in log lines.
  static uint64_t NextStreamNumber() {
    static std::atomic<uint64_t> counter{0};
    return counter.fetch_add(1) + 1;
  }

  bool is_closing() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return closing_;
  }

  const std::string method_;
  const QueueMode mode_;
  const size_t max_queued_;
  const StreamCallbacks<Response> callbacks_;
  const LogFunction log_;

  grpc::ClientContext context_;
  std::optional<Request> config_;

  mutable std::mutex mutex_;
  std::condition_variable writer_wakeup_;
  std::condition_variable finished_cv_;
  std::deque<Request> queue_;
  ReaderWriter* stream_ = nullptr;
  bool writes_done_requested_ = false;
  bool call_ended_ = false;
  bool closing_ = false;
  bool cancelled_by_client_ = false;
  bool finished_ = false;
  std::atomic<uint64_t> dropped_{0};

  std::mutex join_mutex_;
  std::thread reader_;
  std::atomic<std::thread::id> reader_id_{};
};

}  // namespace vrperception
