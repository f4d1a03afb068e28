const cp = require("child_process");
function run(cmd) {
  cp.exec("ls " + cmd);
}
