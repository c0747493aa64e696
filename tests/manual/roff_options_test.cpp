#include "manual/roff_options.h"

#include <gtest/gtest.h>

namespace cmdai::manual {
namespace {

TEST(RoffOptions, TaggedParagraphsOfManPages) {
  const std::string page = R"(.TH LS 1
.SH NAME
ls \- list directory contents
.SH DESCRIPTION
.TP
\fB\-a\fR, \fB\-\-all\fR
do not ignore entries starting with .
.TP
\fB\-w\fR, \fB\-\-width\fR=\fI\,COLS\/\fR
set output width to COLS.  0 means no limit
.TP
.B \-l
use a long listing format
.TQ
.BR \-\-format =long
.PP
Exit status:
.IP "\-C dir" 4
change to dir first.  Then do it.
)";
  const auto parsed = parse_roff_options(page);
  EXPECT_EQ(parsed.summary, "list directory contents");
  ASSERT_TRUE(parsed.options.count("-a"));
  EXPECT_EQ(parsed.options.at("--all").description, "do not ignore entries starting with .");
  EXPECT_FALSE(parsed.options.at("-a").takes_value);
  EXPECT_TRUE(parsed.options.at("--width").takes_value);
  EXPECT_EQ(parsed.options.at("-w").description, "set output width to COLS.");
  EXPECT_EQ(parsed.options.at("-l").description, "use a long listing format");
  EXPECT_TRUE(parsed.options.count("--format"));
  EXPECT_TRUE(parsed.options.at("-C").takes_value);
  EXPECT_EQ(parsed.options.at("-C").description, "change to dir first.");
}

TEST(RoffOptions, MdocItems) {
  const auto parsed = parse_roff_options(
      ".Sh NAME\n.Nm ssh\n.Nd OpenSSH remote login client\n.Sh DESCRIPTION\n"
      ".Bl -tag -width Ds\n.It Fl p Ar port\nPort to connect to on the remote host.\n"
      ".It Fl v\nVerbose mode.\n.El\n");
  ASSERT_TRUE(parsed.options.count("-p")) << parsed.options.size();
  EXPECT_TRUE(parsed.options.at("-p").takes_value);
  EXPECT_EQ(parsed.options.at("-p").description, "Port to connect to on the remote host.");
  EXPECT_FALSE(parsed.options.at("-v").takes_value);
  EXPECT_EQ(parsed.summary, "OpenSSH remote login client");
}

TEST(RoffOptions, PlainTextDropsEscapes) {
  EXPECT_EQ(plain_text("\\fB\\-l\\fR"), "-l");
  EXPECT_EQ(plain_text("it\\(aqs \\(lqquoted\\(rq \\e \\&.dot"), "it's \"quoted\" \\ .dot");
  EXPECT_EQ(plain_text("a \\\" comment"), "a ");
  EXPECT_EQ(plain_text("\\f[CR]code\\f[]"), "code");
}

TEST(RoffOptions, GarbageIsNotAnError) {
  const auto parsed = parse_roff_options("\\\n.TP\n\n.IP\n.TP\n\\f\n\\(\n");
  EXPECT_TRUE(parsed.summary.empty());
}

}  // namespace
}  // namespace cmdai::manual
