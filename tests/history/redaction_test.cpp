#include <gtest/gtest.h>

#include "history/redaction.h"
#include "history_test_support.h"

namespace cmdai::history {
namespace {

using test::file_bytes;
using test::make_entry;
using test::quiet_options;

struct SecretCase {
  std::string text;
  std::string secret;
};

// Each secret shape, embedded the way it shows up in real commands.
std::vector<SecretCase> secret_cases() {
  return {
      {"aws s3 ls --profile x AKIAIOSFODNN7EXAMPLE", "AKIAIOSFODNN7EXAMPLE"},
      {"git clone https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/o/r",
       "ghp_abcdefghijklmnopqrstuvwxyz0123456789"},
      {"export GH=github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz", "github_pat_11ABCDEFG0123456789"},
      {"curl -H 'PRIVATE-TOKEN: glpat-abcdefghij0123456789' https://gitlab.example/api", "glpat-abcdefghij0123456789"},
      {"slack-cli --token xoxb-123456789012-abcdefghijkl send", "xoxb-123456789012-abcdefghijkl"},
      {"OPENAI_API_KEY=sk-proj-abcdefghijklmnopqrstuvwxyz012345 python app.py",
       "sk-proj-abcdefghijklmnopqrstuvwxyz012345"},
      {"claude --key sk-ant-api03-abcdefghijklmnopqrstuvwxyz", "sk-ant-api03-abcdefghijklmnopqrstuvwxyz"},
      {"http GET api/me 'Cookie: t=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N'",
       "eyJzdWIiOiIxMjM0NTY3ODkwIn0"},
      {"echo '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n-----END OPENSSH PRIVATE KEY-----' > k",
       "b3BlbnNzaC1rZXktdjEAAAA"},
      {"mysql -u root -pHunter2secret db", "Hunter2secret"},
      {"sshpass -p s3cr3tpass ssh host", "s3cr3tpass"},
      {"deploy --password=CorrectHorse1 --user bob", "CorrectHorse1"},
      {"vault login --token 'hvs.ABCDEFsecretvalue'", "hvs.ABCDEFsecretvalue"},
      {"psql postgres://admin:Sup3rS3cret@db.internal:5432/app", "Sup3rS3cret"},
      {"curl -H 'Authorization: Bearer abc.def-SecretBearer' https://api", "abc.def-SecretBearer"},
      {"curl -H \"X-Api-Key: zzKeyValue99\" https://api", "zzKeyValue99"},
      {"./configure DB_PASSWORD=letmein123 && make", "letmein123"},
  };
}

// Secrets passed the way common tools take them: as a flag's separate
// argument, a positional word or a piped line.
std::vector<SecretCase> tool_secret_cases() {
  return {
      {"curl -u bob:Tr0ub4dor https://api.example/v1", "Tr0ub4dor"},
      {"curl -s --user 'bob:Tr0ub4dor2' https://api.example/v1", "Tr0ub4dor2"},
      {"PGPASSWORD=pgS3cretValue psql -h db -U app", "pgS3cretValue"},
      {"docker login -u bob -p dockerS3cret registry.example", "dockerS3cret"},
      {"openssl pkcs12 -export -in c.pem -passout pass:OpenSslPass1 -out c.p12", "OpenSslPass1"},
      {"redis-cli -h cache -a RedisPass77 ping", "RedisPass77"},
      {"npm config set //registry.npmjs.org/:_authToken=npm_AbCdEf0123456789", "npm_AbCdEf0123456789"},
      {"npm config set //registry.npmjs.org/:_authToken npm_ZyXwVu9876543210", "npm_ZyXwVu9876543210"},
      {"export STRIPE_KEY=sk_live_51HxAbCdEfGhIjKlMn", "sk_live_51HxAbCdEfGhIjKlMn"},
      {"aws configure set aws_secret_access_key wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
       "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
      {"vault login hvs.CAESIJ0123456789abcdef", "hvs.CAESIJ0123456789abcdef"},
      {"ssh-keygen -t ed25519 -N 'keygen passphrase' -f ~/.ssh/k", "keygen passphrase"},
      {"htpasswd -b /etc/nginx/.htpasswd alice HtPassw0rd", "HtPassw0rd"},
      {"htpasswd -nb alice HtPassw0rd2 > users", "HtPassw0rd2"},
      {"curl -H 'Cookie: session=CookieValue0123' https://app.example", "CookieValue0123"},
      {"curl --cookie 'sid=CookieValue4567' https://app.example", "CookieValue4567"},
      {"echo SudoPassw0rd | sudo -S apt-get update", "SudoPassw0rd"},
      {"sudo -S true <<< 'SudoPassw0rd2'", "SudoPassw0rd2"},
  };
}

TEST(Redaction, ReplacesEveryKnownSecretShape) {
  for (const auto& c : secret_cases()) {
    const auto r = redact_secrets(c.text);
    EXPECT_GE(r.secrets, 1u) << c.text;
    EXPECT_EQ(r.text.find(c.secret), std::string::npos) << c.text << " -> " << r.text;
    EXPECT_NE(r.text.find(k_redacted), std::string::npos) << r.text;
  }
}

TEST(Redaction, ReplacesSecretsInToolArguments) {
  for (const auto& c : tool_secret_cases()) {
    const auto r = redact_secrets(c.text);
    EXPECT_GE(r.secrets, 1u) << c.text;
    EXPECT_EQ(r.text.find(c.secret), std::string::npos) << c.text << " -> " << r.text;
  }
  EXPECT_EQ(redact_secrets("curl -u bob:Tr0ub4dor https://x").text, "curl -u bob:<redacted> https://x");
  EXPECT_EQ(redact_secrets("htpasswd -b f alice pw1 && nginx -s reload").text,
            "htpasswd -b f alice <redacted> && nginx -s reload");
}

// The rules' case-insensitive parts stay so however the text is cased: a
// rule is only skipped when its key words are nowhere in the text.
TEST(Redaction, FindsSecretsInAnyCase) {
  for (const auto& c : std::vector<SecretCase>{
           {"deploy --PASSWORD=CorrectHorse1", "CorrectHorse1"},
           {"Deploy --Api-Key ApiKeyValue99", "ApiKeyValue99"},
           {"curl -H 'AUTHORIZATION: Bearer UpperBearer77' https://api", "UpperBearer77"},
           {"curl -H 'x-API-key: MixedKey55' https://api", "MixedKey55"},
           {"curl -H 'COOKIE: sid=UpperCookie12' https://app", "UpperCookie12"},
           {"run Client_Secret=ClientSecret33", "ClientSecret33"},
           {"npm config set //r/:_AUTHTOKEN=NpmUpper0123456", "NpmUpper0123456"},
           {"psql POSTGRES://admin:UpperUrlPw9@db/app", "UpperUrlPw9"},
       }) {
    const auto r = redact_secrets(c.text);
    EXPECT_GE(r.secrets, 1u) << c.text;
    EXPECT_EQ(r.text.find(c.secret), std::string::npos) << c.text << " -> " << r.text;
  }
}

// Several shapes in one text: each rule sees what the ones before it left.
TEST(Redaction, RedactsSeveralShapesInOneText) {
  const auto r = redact_secrets("PGPASSWORD=pgS3cret psql postgres://a:UrlPw1@h/db && curl -u bob:Tr0ub4dor https://x");
  EXPECT_EQ(r.secrets, 3u) << r.text;
  for (const char* secret : {"pgS3cret", "UrlPw1", "Tr0ub4dor"}) EXPECT_EQ(r.text.find(secret), std::string::npos);
}

TEST(Redaction, LeavesOrdinaryCommandsAlone) {
  for (const char* text :
       {"mkdir -p build/out", "ssh -p 2222 host", "docker run -p 8080:80 nginx", "ls -la", "git log --author=alice",
        "curl https://example.com/path?page=2", "grep -r password_reset src/", "echo sk-short", "sort -u names.txt",
        "ps -u root", "redis-cli ping", "ssh-keygen -t ed25519 -f key", "echo hello | sudo tee /etc/motd",
        "export PATH=/usr/local/bin:$PATH", "vault login -method=userpass username=bob", "ssh-keygen -N '' -f k",
        "htpasswd -D /etc/nginx/.htpasswd alice", "docker login registry.example", "aws configure list"}) {
    const auto r = redact_secrets(text);
    EXPECT_EQ(r.secrets, 0u) << text << " -> " << r.text;
    EXPECT_EQ(r.text, text);
  }
}

// An entry redacted through a memo, the first time its command and
// directory are seen and every time after, is what redact_entry makes of it.
TEST(Redaction, AMemoRedactsAsEveryRuleWouldEachTimeATextComesBack) {
  std::vector<std::string> texts{"ls -la", "/home/bob", "", "mysql -u root -pHunter2secret db"};
  for (const auto& c : secret_cases()) texts.push_back(c.text);
  for (const auto& c : tool_secret_cases()) texts.push_back(c.text);
  RedactionMemo memo;
  for (int round = 0; round < 3; ++round) {
    for (std::size_t i = 0; i < texts.size(); ++i) {
      CommandHistoryEntry entry = make_entry(texts[i]);
      entry.working_directory = texts[(i + 1) % texts.size()];
      entry.explanation = texts[(i + 2) % texts.size()];
      CommandHistoryEntry expected = entry;
      const std::size_t expected_secrets = redact_entry(expected);
      EXPECT_EQ(redact_entry(entry, memo), expected_secrets) << texts[i];
      EXPECT_EQ(entry.command, expected.command);
      EXPECT_EQ(entry.working_directory, expected.working_directory);
      EXPECT_EQ(entry.explanation, expected.explanation);
    }
  }
}

TEST(Redaction, KeepsTheUserAndTheRestOfTheUrl) {
  EXPECT_EQ(redact_secrets("git clone https://bob:pw123456@example.com/r.git").text,
            "git clone https://bob:<redacted>@example.com/r.git");
}

// The secret must not be anywhere in the database's files: not the main
// file, not the WAL, not the FTS index.
TEST(Redaction, SecretsNeverReachTheDatabaseFile) {
  testing::TempDir dir;
  const auto path = dir / "h.db";
  {
    auto store = HistoryStore::open(path, quiet_options(PrivacyMode::redact));
    auto cases = secret_cases();
    for (auto& c : tool_secret_cases()) cases.push_back(c);
    for (const auto& c : cases) {
      auto e = make_entry(c.text);
      e.user_input = "use " + c.text;
      e.explanation = "runs " + c.text;
      ASSERT_TRUE(store->insert(e).has_value());
    }
  }
  const std::string bytes = file_bytes(path) + file_bytes(path.string() + "-wal");
  ASSERT_GT(bytes.size(), 4096u);
  for (const auto& c : secret_cases()) EXPECT_EQ(bytes.find(c.secret), std::string::npos) << c.secret;
  for (const auto& c : tool_secret_cases()) EXPECT_EQ(bytes.find(c.secret), std::string::npos) << c.secret;
  EXPECT_NE(bytes.find("aws s3 ls --profile x"), std::string::npos) << "the text around secrets is stored";
}

TEST(Redaction, OffModeStoresAsGivenAndTheGrepSeesIt) {
  testing::TempDir dir;
  const auto path = dir / "h.db";
  {
    auto store = HistoryStore::open(path, quiet_options(PrivacyMode::off));
    ASSERT_TRUE(store->insert(make_entry("mysql -pVisibleSecret42 db")).has_value());
  }
  const std::string bytes = file_bytes(path) + file_bytes(path.string() + "-wal");
  EXPECT_NE(bytes.find("VisibleSecret42"), std::string::npos) << "the grep must be able to find a stored secret";
}

TEST(Redaction, SkipModeStoresNothingThatHoldsASecret) {
  testing::TempDir dir;
  const auto path = dir / "h.db";
  {
    auto store = HistoryStore::open(path, quiet_options(PrivacyMode::skip));
    EXPECT_EQ(store->store(make_entry("mysql -pSkippedSecret99 db")).value(), StoreOutcome::skipped_secret);
    EXPECT_EQ(store->store(make_entry("ls -la")).value(), StoreOutcome::stored);
    EXPECT_EQ(store->count().value(), 1);
  }
  const std::string bytes = file_bytes(path) + file_bytes(path.string() + "-wal");
  EXPECT_EQ(bytes.find("SkippedSecret99"), std::string::npos);
}

}  // namespace
}  // namespace cmdai::history
