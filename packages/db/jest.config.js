module.exports = { ...require('../../jest.preset.js'), ...require('../../jest.containers.js')(['postgres']) };
