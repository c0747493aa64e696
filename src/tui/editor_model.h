#pragma once
// EditorModel: what the configuration editor shows and edits, without any
// terminal: sections of rows built from the key table, the focused row, the
// text of each row, its inline error, and the edited state. The ncurses view
// (config_editor.cpp) draws it and feeds it keys; tests drive it directly.
//
// Every change is validated at once with the key table's validators; a row
// whose text is invalid keeps its text, shows the message and leaves the
// edited state at its last valid value.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/configuration.h"
#include "config/key_table.h"
#include "core/error.h"

namespace cmdai::tui {

enum class RowKind {
  choice,        // cycles through fixed values (booleans, levels, backends)
  text,          // free text, validated as typed
  instance,      // picks which backend instance the rows below it edit
  probe,         // "test a command": text rated by the safety validator
  new_instance,  // the name of a backend instance to add (Enter adds it)
};

struct Row {
  RowKind kind = RowKind::text;
  std::string label;
  config::ResolvedKey key;           // unset (spec == nullptr) for instance and probe rows
  std::string text;                  // as shown
  std::vector<std::string> choices;  // choice and instance rows
  std::optional<std::string> error;  // inline message while the text is invalid
  std::string note;                  // e.g. "CMDAI_SAFETY_LEVEL overrides this here"
  std::string help;
};

// Rates a command for the probe row: one line ("validator: high - ...").
using CommandRater = std::function<std::string(const std::string& command, const config::ConfigurationState& state)>;

class EditorModel {
 public:
  // file_state: what the file says (edited and saved); origins: where the
  // effective values come from, to note environment/command-line overrides.
  EditorModel(config::ConfigurationState file_state, std::map<std::string, config::ValueOrigin> origins,
              CommandRater rater);

  std::size_t section() const { return m_section; }
  void set_section(std::size_t section);
  const std::vector<Row>& rows() const { return m_rows; }
  std::size_t focus() const { return m_focus; }
  const Row& focused() const { return m_rows[m_focus]; }

  // Tab/Down and Shift-Tab/Up; moving past either end changes section.
  void focus_next();
  void focus_previous();
  void focus_row(std::size_t row);
  // Left/Right/Space on choice and instance rows.
  void cycle(int direction);
  // The focused text or probe row's new text (as typed so far).
  void set_text(const std::string& text);

  // On the new-instance row: adds an instance named by its text (checked as
  // typed: letters, digits, '-', '_'; not "rules"; not taken) with a type
  // read from its name ("vllm-gpu2": vllm) or openai, and selects it.
  // Returns an error message instead when the name is not usable.
  std::optional<std::string> add_instance();
  // Removes the instance the selector shows; a fallback chain or preference
  // naming it drops it. Returns what happened, in words, or an error for an
  // instance that is not configured.
  Result<std::string> remove_instance();
  const std::string& instance() const { return m_instance; }

  const std::string& probe_result() const { return m_probe_result; }
  bool dirty() const;
  std::size_t error_count() const;
  const config::ConfigurationState& edited() const { return m_edited; }
  const config::ConfigurationState& saved() const { return m_saved; }
  // After a successful save: the edited state is the saved one.
  void mark_saved();
  // Another process changed the file; file_state is what it says now. Keys
  // not edited here take the file's new values; keys edited here keep the
  // edit (Save writes them over the file's). Returns the names of the keys
  // whose edit was kept although the file changed them. Re-rates the probe.
  std::vector<std::string> merge_external(const config::ConfigurationState& file_state);

 private:
  void build_rows();
  Row row_for(const config::ResolvedKey& key) const;
  void apply(Row& row, const std::string& text);
  // Rates the probe's text again with the edited state (after the text or
  // a safety setting changed).
  void rerate();

  config::ConfigurationState m_saved;
  config::ConfigurationState m_edited;
  std::map<std::string, config::ValueOrigin> m_origins;
  CommandRater m_rater;
  std::size_t m_section = 0;
  std::vector<Row> m_rows;
  std::size_t m_focus = 0;
  std::string m_instance = "ollama";
  std::map<std::string, std::string> m_invalid;  // key name -> rejected text, kept across sections
  std::string m_new_instance;                    // the new-instance row's text
  std::string m_probe;
  std::string m_probe_result;
};

}  // namespace cmdai::tui
