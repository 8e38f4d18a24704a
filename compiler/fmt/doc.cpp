// The printer for the layout language: Prettier's algorithm (a stack of
// commands, each group measured against the rest of its line when it is
// reached) with `Mark` added.
#include "compiler/fmt/doc.h"

#include <algorithm>

namespace aipol::formatting {

int Columns(std::string_view text) {
  int columns = 0;
  for (char c : text) columns += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return columns;
}

namespace {

bool AnyForced(const std::vector<Doc>& parts) {
  return std::any_of(parts.begin(), parts.end(), [](const Doc& d) { return d.forced; });
}

Doc Wrap(DocKind kind, Doc inner) {
  Doc doc;
  doc.kind = kind;
  doc.forced = inner.forced;
  doc.parts.push_back(std::move(inner));
  return doc;
}

enum class Mode : uint8_t { Flat, Break };

struct Command {
  int indent;
  Mode mode;
  const Doc* doc;
  size_t start = 0;  // Fill: the first part still to print
};

class Printer {
 public:
  explicit Printer(int width) : width_(width) { lines_.emplace_back(); }

  std::vector<PrintedLine> Run(const Doc& root) {
    commands_.push_back({0, Mode::Break, &root});
    while (!commands_.empty()) {
      Command command = commands_.back();
      commands_.pop_back();
      Step(command);
    }
    EndLine();
    while (!lines_.empty() && lines_.back().code.empty() && lines_.back().comment.empty()) lines_.pop_back();
    return std::move(lines_);
  }

 private:
  void Step(const Command& command) {
    const Doc& doc = *command.doc;
    switch (doc.kind) {
      case DocKind::Text: Emit(doc.text); break;
      case DocKind::Concat:
        for (size_t i = doc.parts.size(); i-- > 0;) {
          commands_.push_back({command.indent, command.mode, &doc.parts[i]});
        }
        break;
      case DocKind::Line:
        if (command.mode == Mode::Flat) {
          Emit(" ");
        } else {
          NewLine(command.indent);
        }
        break;
      case DocKind::HardLine: NewLine(command.indent); break;
      case DocKind::Group: {
        Mode mode = Mode::Break;
        if (!doc.forced) {
          if (command.mode == Mode::Flat) {
            mode = Mode::Flat;
          } else if (Fits({{command.indent, Mode::Flat, &doc.parts[0]}}, true, width_ - pos_, false)) {
            mode = Mode::Flat;
          }
        }
        commands_.push_back({command.indent, mode, &doc.parts[0]});
        break;
      }
      case DocKind::Fill: StepFill(command); break;
      case DocKind::Align:
        commands_.push_back({std::max(0, command.indent + doc.offset), command.mode, &doc.parts[0]});
        break;
      case DocKind::Mark: commands_.push_back({pos_, command.mode, &doc.parts[0]}); break;
      case DocKind::LineSuffix: suffixes_.push_back(doc.text); break;
      case DocKind::BreakParent: break;
    }
  }

  // Puts the next content on this line if it fits, else starts a new line;
  // a content that does not fit on a line of its own is printed broken and
  // the line ends after it.
  void StepFill(const Command& command) {
    const std::vector<Doc>& parts = command.doc->parts;
    size_t i = command.start;
    if (i >= parts.size()) return;
    const Doc& content = parts[i];
    int room = width_ - pos_;
    Command flat{command.indent, Mode::Flat, &content};
    Command broken{command.indent, Mode::Break, &content};
    bool last = i + 1 >= parts.size();
    bool content_fits = Fits({flat}, last, room, !last);
    if (last) {
      commands_.push_back(content_fits ? flat : broken);
      return;
    }
    const Doc& separator = parts[i + 1];
    Command separator_flat{command.indent, Mode::Flat, &separator};
    Command separator_broken{command.indent, Mode::Break, &separator};
    if (i + 2 >= parts.size()) {
      commands_.push_back(content_fits ? separator_flat : separator_broken);
      commands_.push_back(content_fits ? flat : broken);
      return;
    }
    bool next_is_last = i + 3 >= parts.size();
    bool both_fit = Fits({flat, separator_flat, {command.indent, Mode::Flat, &parts[i + 2]}}, next_is_last,
                         room, !next_is_last);
    commands_.push_back({command.indent, command.mode, command.doc, i + 2});
    if (both_fit) {
      commands_.push_back(separator_flat);
      commands_.push_back(flat);
    } else if (content_fits) {
      commands_.push_back(separator_broken);
      commands_.push_back(flat);
    } else {
      commands_.push_back(separator_broken);
      commands_.push_back(broken);
    }
  }

  // Whether `next` (first to print first), followed by the pending
  // commands when `with_rest`, fits in `room` columns up to the next line
  // break.
  bool Fits(std::vector<Command> next, bool with_rest, int room, bool must_be_flat) const {
    std::reverse(next.begin(), next.end());
    size_t rest = with_rest ? commands_.size() : 0;
    while (room >= 0) {
      if (next.empty()) {
        if (rest == 0) return true;
        next.push_back(commands_[--rest]);
      }
      Command command = next.back();
      next.pop_back();
      const Doc& doc = *command.doc;
      switch (doc.kind) {
        case DocKind::Text: {
          size_t newline = doc.text.find('\n');
          room -= Columns(std::string_view(doc.text).substr(0, newline));
          if (newline != std::string::npos) return room >= 0;
          break;
        }
        case DocKind::Concat:
        case DocKind::Fill:
          for (size_t i = doc.parts.size(); i-- > command.start;) {
            next.push_back({command.indent, command.mode, &doc.parts[i]});
          }
          break;
        case DocKind::Align:
        case DocKind::Mark: next.push_back({command.indent, command.mode, &doc.parts[0]}); break;
        case DocKind::Group:
          if (must_be_flat && doc.forced) return false;
          next.push_back({command.indent, doc.forced ? Mode::Break : command.mode, &doc.parts[0]});
          break;
        case DocKind::Line:
          if (command.mode == Mode::Break) return true;
          room -= 1;
          break;
        case DocKind::HardLine: return true;
        case DocKind::LineSuffix:
        case DocKind::BreakParent: break;
      }
    }
    return false;
  }

  void Emit(std::string_view text) {
    lines_.back().code += text;
    size_t newline = text.rfind('\n');
    if (newline == std::string_view::npos) {
      pos_ += Columns(text);
    } else {
      pos_ = Columns(text.substr(newline + 1));
    }
  }

  // Ends the current line: drops trailing blanks and attaches the pending
  // trailing comment. Two comments can only meet on one line in unusual
  // places; the later ones then get lines of their own.
  void EndLine() {
    PrintedLine& line = lines_.back();
    while (!line.code.empty() && line.code.back() == ' ') line.code.pop_back();
    if (suffixes_.empty()) return;
    std::vector<std::string> suffixes = std::move(suffixes_);
    suffixes_.clear();
    line.comment = suffixes[0];
    size_t indent = line.code.find_first_not_of(' ');
    if (indent == std::string::npos) indent = 0;
    for (size_t i = 1; i < suffixes.size(); ++i)
      lines_.push_back({std::string(indent, ' ') + suffixes[i], ""});
  }

  void NewLine(int indent) {
    EndLine();
    lines_.push_back({std::string(static_cast<size_t>(indent), ' '), ""});
    pos_ = indent;
  }

  int width_;
  int pos_ = 0;
  std::vector<Command> commands_;
  std::vector<std::string> suffixes_;
  std::vector<PrintedLine> lines_;
};

bool IsOwnLineComment(const PrintedLine& line) {
  size_t first = line.code.find_first_not_of(' ');
  return first != std::string::npos && line.code[first] == '#';
}

}  // namespace

Doc Text(std::string text) {
  Doc doc;
  doc.kind = DocKind::Text;
  doc.text = std::move(text);
  return doc;
}

Doc Concat(std::vector<Doc> parts) {
  Doc doc;
  doc.kind = DocKind::Concat;
  doc.forced = AnyForced(parts);
  doc.parts = std::move(parts);
  return doc;
}

Doc Line() {
  Doc doc;
  doc.kind = DocKind::Line;
  return doc;
}

Doc HardLine() {
  Doc doc;
  doc.kind = DocKind::HardLine;
  doc.forced = true;
  return doc;
}

Doc Group(Doc inner) { return Wrap(DocKind::Group, std::move(inner)); }

Doc Fill(std::vector<Doc> parts) {
  Doc doc = Concat(std::move(parts));
  doc.kind = DocKind::Fill;
  return doc;
}

Doc Align(int offset, Doc inner) {
  Doc doc = Wrap(DocKind::Align, std::move(inner));
  doc.offset = offset;
  return doc;
}

Doc Mark(Doc inner) { return Wrap(DocKind::Mark, std::move(inner)); }

Doc LineSuffix(std::string text) {
  Doc doc;
  doc.kind = DocKind::LineSuffix;
  doc.text = std::move(text);
  return doc;
}

Doc BreakParent() {
  Doc doc;
  doc.kind = DocKind::BreakParent;
  doc.forced = true;
  return doc;
}

std::vector<PrintedLine> Print(const Doc& doc, int width) { return Printer(width).Run(doc); }

std::string Render(const std::vector<PrintedLine>& lines, int width) {
  // Where each line's comment starts: runs of alignable lines share one column.
  std::vector<size_t> comment_column(lines.size(), 0);
  auto alignable = [&](const PrintedLine& line) {
    return !line.code.empty() && !IsOwnLineComment(line) && line.code.find('\n') == std::string::npos &&
           Columns(line.code) <= width;
  };
  for (size_t begin = 0; begin < lines.size();) {
    if (!alignable(lines[begin])) {
      comment_column[begin] = static_cast<size_t>(Columns(lines[begin].code)) + 2;
      if (lines[begin].code.find('\n') != std::string::npos) {
        std::string_view code = lines[begin].code;
        comment_column[begin] = static_cast<size_t>(Columns(code.substr(code.rfind('\n') + 1))) + 2;
      }
      ++begin;
      continue;
    }
    size_t end = begin;
    size_t column = 0;
    size_t indent = lines[begin].code.find_first_not_of(' ');
    while (end < lines.size() && alignable(lines[end]) && lines[end].code.find_first_not_of(' ') >= indent) {
      if (!lines[end].comment.empty())
        column = std::max(column, static_cast<size_t>(Columns(lines[end].code)) + 2);
      ++end;
    }
    for (size_t i = begin; i < end; ++i) comment_column[i] = column;
    begin = end;
  }
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i].code;
    if (!lines[i].comment.empty()) {
      std::string_view code = lines[i].code;
      size_t newline = code.rfind('\n');
      size_t used =
          static_cast<size_t>(Columns(newline == std::string_view::npos ? code : code.substr(newline + 1)));
      out.append(comment_column[i] > used ? comment_column[i] - used : 2, ' ');
      out += lines[i].comment;
    }
    out += '\n';
  }
  return out;
}

}  // namespace aipol::formatting
