// tasks.cjs: the functions of module.exports are the tasks.
function countWords(text) {
  return text.split(/\s+/).filter(Boolean).length;
}

module.exports = { countWords };
