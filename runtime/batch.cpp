#include "runtime/batch.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>

#include "compiler/interp/interp.h"
#include "runtime/date.h"
#include "runtime/large_stack.h"
#include "runtime/loader.h"

namespace aipol {
namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

struct Chunk {
  uint64_t sequence = 0;
  uint64_t first_index = 0;
  RecordBatch batch;
  std::string output;
  FleetSummary summary;
  double parse_s = 0, eval_s = 0, write_s = 0;
};

// The state shared by the reader, the workers and the writer.
class Pipeline {
 public:
  Pipeline(const BatchContext& context, Formatter& formatter, const BatchConfig& config)
      : context_(context),
        formatter_(formatter),
        config_(config),
        max_in_flight_(static_cast<size_t>(std::max(1, config.threads)) * 2 + 2),
        parts_(ReportParts::For(context.program, context.policy)) {}

  void ReadAll(FleetReader& reader) {
    uint64_t sequence = 0, index = 0;
    while (true) {
      {
        std::unique_lock lock(mutex_);
        slot_free_.wait(lock, [&] { return in_flight_ < max_in_flight_; });
      }
      Chunk chunk;
      auto start = Clock::now();
      bool more = reader.Next(chunk.batch, config_.chunk_records);
      read_s_ += Seconds(Clock::now() - start);
      bytes_read_ = reader.bytes_read();
      if (!more) break;
      chunk.sequence = sequence++;
      chunk.first_index = index;
      index += chunk.batch.records.size();
      std::lock_guard lock(mutex_);
      ++in_flight_;
      todo_.push_back(std::move(chunk));
      work_ready_.notify_one();
    }
    std::lock_guard lock(mutex_);
    total_chunks_ = sequence;
    reading_done_ = true;
    work_ready_.notify_all();
    chunk_done_.notify_all();
  }

  void Work() {
    RowLoader loader(context_.program);
    Arena arena;
    Results results;
    while (true) {
      Chunk chunk;
      {
        std::unique_lock lock(mutex_);
        work_ready_.wait(lock, [&] { return !todo_.empty() || reading_done_; });
        if (todo_.empty()) return;
        chunk = std::move(todo_.front());
        todo_.pop_front();
      }
      Process(chunk, loader, arena, results);
      std::lock_guard lock(mutex_);
      done_.emplace(chunk.sequence, std::move(chunk));
      chunk_done_.notify_all();
    }
  }

  // Writes chunks in order on the calling thread.
  void WriteAll(std::ostream& out, RunTotals& totals) {
    for (uint64_t next = 0;; ++next) {
      Chunk chunk;
      {
        std::unique_lock lock(mutex_);
        chunk_done_.wait(lock, [&] { return done_.count(next) || (reading_done_ && next >= total_chunks_); });
        if (!done_.count(next)) return;
        chunk = std::move(done_.at(next));
        done_.erase(next);
      }
      auto start = Clock::now();
      if (formatter_.buffers_records()) {
        formatter_.Keep(chunk.output);
      } else {
        out.write(chunk.output.data(), static_cast<std::streamsize>(chunk.output.size()));
      }
      totals.write_s += chunk.write_s + Seconds(Clock::now() - start);
      totals.read_parse_s += chunk.parse_s;
      totals.eval_s += chunk.eval_s;
      totals.summary.Merge(chunk.summary);
      {
        std::lock_guard lock(mutex_);
        --in_flight_;
        slot_free_.notify_one();
      }
      if (config_.progress) config_.progress(totals.summary.records, bytes_read_.load());
    }
  }

  double read_s() const { return read_s_; }

 private:
  // `results` is the worker's, reused from record to record.
  void Process(Chunk& chunk, RowLoader& loader, Arena& arena, Results& results) {
    // As large as the largest chunk's output so far: grown by doubling, the
    // string copied each chunk's reports about once more.
    chunk.output.reserve(largest_output_.load(std::memory_order_relaxed));
    // Three clock reads per record: a record's phases start where the
    // previous record's ended.
    auto t0 = Clock::now();
    for (size_t k = 0; k < chunk.batch.records.size(); ++k) {
      const RawRecord& record = chunk.batch.records[k];
      arena.Reset();
      LoadedRow row;
      if (record.invalid_reason.empty()) {
        row = loader.Load(record.text, arena, config_.strict, record.readable);
      } else {
        row.issues.push_back({InputIssueKind::InvalidJson, true, "", record.invalid_reason});
      }
      auto t1 = Clock::now();
      bool evaluated = row.ok();
      if (evaluated)
        context_.engine.EvaluateInto(EvalRequest{row.row, context_.as_of, &context_.params, row.bytes},
                                     results);
      auto t2 = Clock::now();
      RecordSource source;
      source.file = record.file ? std::string_view(*record.file) : "-";
      source.line = record.line;
      source.index = chunk.first_index + k;
      ReportInput report{context_.program,
                         context_.policy,
                         context_.as_of,
                         source,
                         row.id,
                         row.issues,
                         evaluated ? &results : nullptr,
                         context_.locate,
                         &parts_};
      formatter_.Record(chunk.output, report, source.index == 0);
      chunk.summary.Add(report);
      auto t3 = Clock::now();
      chunk.parse_s += Seconds(t1 - t0);
      chunk.eval_s += Seconds(t2 - t1);
      chunk.write_s += Seconds(t3 - t2);
      t0 = t3;
    }
    chunk.batch.clear();
    size_t largest = largest_output_.load(std::memory_order_relaxed);
    while (chunk.output.size() > largest &&
           !largest_output_.compare_exchange_weak(largest, chunk.output.size(), std::memory_order_relaxed)) {
    }
  }

  const BatchContext& context_;
  Formatter& formatter_;
  const BatchConfig& config_;
  const size_t max_in_flight_;
  const ReportParts parts_;  // the same in every report of the run
  std::mutex mutex_;
  std::condition_variable slot_free_, work_ready_, chunk_done_;
  std::deque<Chunk> todo_;
  std::map<uint64_t, Chunk> done_;
  size_t in_flight_ = 0;
  uint64_t total_chunks_ = 0;
  bool reading_done_ = false;
  double read_s_ = 0;
  std::atomic<uint64_t> bytes_read_{0};
  std::atomic<size_t> largest_output_{0};  // Process's
};

}  // namespace

RunTotals RunBatch(const BatchContext& context, FleetReader& reader, Formatter& formatter, std::ostream& out,
                   const BatchConfig& config) {
  auto start = Clock::now();
  RunTotals totals;
  totals.threads = std::max(1, config.threads);
  totals.engine = std::string(context.engine.name());
  totals.as_of = FormatDate(context.as_of);
  totals.policy_hash = context.policy.hash;

  std::string head;
  formatter.Begin(head);
  out << head;
  Pipeline pipeline(context, formatter, config);
  std::thread read_thread([&] { pipeline.ReadAll(reader); });
  // Workers evaluate on stacks as large as `eval`'s, so that a policy that
  // `eval` evaluates never overflows a worker's stack.
  std::vector<LargeStackThread> workers;
  workers.reserve(static_cast<size_t>(totals.threads));
  for (int t = 0; t < totals.threads; ++t) workers.emplace_back([&] { pipeline.Work(); });
  pipeline.WriteAll(out, totals);
  read_thread.join();
  for (LargeStackThread& worker : workers) worker.Join();
  totals.read_parse_s += pipeline.read_s();
  totals.summary.Settle();
  totals.seconds = Seconds(Clock::now() - start);

  if (config.before_end) config.before_end();
  std::string tail;
  formatter.End(tail, totals);
  out << tail;
  out.flush();
  return totals;
}

}  // namespace aipol
